namespace ImagePipeline.Aws;

/// <summary>Which cloud a run talks to: the project's local cloud on 127.0.0.1 (the default, no account needed) or AWS.</summary>
public enum CloudKind
{
    Local,
    Aws,
}
