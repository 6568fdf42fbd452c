namespace ImagePipeline.LocalCloud.Faults;

/// <summary>
/// Which calls a fault hits: <see cref="Service"/> (s3, ec2, sts, ssm) and <see cref="Operation"/> (the SDK operation
/// name, e.g. PutObject, DescribeImages, SendCommand) narrow it; null matches any. Of the matching calls, every
/// <see cref="EveryNth"/>-th one is hit (1 = all), at most <see cref="MaxInjections"/> times.
/// </summary>
public sealed record FaultRule
{
    public string? Service { get; init; }
    public string? Operation { get; init; }
    public FaultKind Kind { get; init; }
    public int EveryNth { get; init; } = 1;
    public int? MaxInjections { get; init; }
    public TimeSpan Latency { get; init; }

    /// <summary>For <see cref="FaultKind.Bandwidth"/>: the bytes per second the calls the rule hits share.</summary>
    public long BytesPerSecond { get; init; }

    /// <summary>For <see cref="FaultKind.CommandFailure"/>: the exit code the failed invocation reports.</summary>
    public int ResponseCode { get; init; } = 1;

    /// <summary>For <see cref="FaultKind.CommandFailure"/>: what the failed invocation wrote to standard error.</summary>
    public string? StandardError { get; init; }

    /// <summary>
    /// For <see cref="FaultKind.CommandFailure"/>: only commands whose document name or parameters contain this text
    /// (ordinal) fail; null fails any.
    /// </summary>
    public string? CommandContains { get; init; }
}
