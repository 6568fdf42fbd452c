namespace ImagePipeline.Abstractions;

public enum ProgressUnit
{
    Bytes,
    Percent,
    Items,
}
