namespace ImagePipeline.LocalCloud.Storage;

/// <summary>An SSM command sent to instances; each invocation runs Pending → InProgress → Success (or Failed) on the timeline.</summary>
public sealed class CommandRecord
{
    public required string CommandId { get; set; }
    public required string Region { get; set; }
    public required string OwnerAccountId { get; set; }
    public required string DocumentName { get; set; }
    public string? Comment { get; set; }
    public List<string> InstanceIds { get; set; } = [];
    public Dictionary<string, List<string>> Parameters { get; set; } = [];
    public DateTimeOffset RequestedAt { get; set; }
    public required StateTimeline Timeline { get; set; }

    /// <summary>True when the command runs Sysprep with shutdown, so the instance stops afterwards.</summary>
    public bool ShutsDown { get; set; }

    /// <summary>What the invocation writes to standard output once it has run.</summary>
    public string StandardOutput { get; set; } = "";

    /// <summary>What the invocation writes to standard error once it has run (a failed one).</summary>
    public string StandardError { get; set; } = "";

    /// <summary>The exit code once it has run: 0 unless a fault rule made it fail.</summary>
    public int ExitCode { get; set; }
}
