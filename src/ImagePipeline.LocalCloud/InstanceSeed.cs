namespace ImagePipeline.LocalCloud;

/// <summary>An extra instance to put into a region (tests and the control API).</summary>
public sealed record InstanceSeed
{
    public required string Region { get; init; }

    /// <summary>Null picks a fresh id.</summary>
    public string? InstanceId { get; init; }

    /// <summary>"windows" or null for Linux.</summary>
    public string? Platform { get; init; }

    /// <summary>"ebs" or "instance-store".</summary>
    public string RootDeviceType { get; init; } = "ebs";

    public string OwnerAccountId { get; init; } = LocalCloudAccounts.AccountId;

    /// <summary>"running" or "stopped".</summary>
    public string State { get; init; } = "running";

    public string InstanceType { get; init; } = "t3.micro";

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
