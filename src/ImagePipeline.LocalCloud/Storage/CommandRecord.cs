namespace ImagePipeline.LocalCloud.Storage;

/// <summary>An SSM command sent to instances; each invocation runs Pending → InProgress → Success on the timeline.</summary>
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
}
