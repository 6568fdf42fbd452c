namespace ImagePipeline.Host;

/// <summary>The host's exit codes, as documented in --help and the README.</summary>
internal static class ExitCode
{
    public const int Success = 0;
    public const int TargetFailed = 1;
    public const int UsageError = 2;
    public const int Cancelled = 130;
}
