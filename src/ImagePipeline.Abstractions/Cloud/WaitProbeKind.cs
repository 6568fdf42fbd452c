namespace ImagePipeline.Abstractions;

public enum WaitProbeKind
{
    Pending,
    Done,
    Failed,
}
