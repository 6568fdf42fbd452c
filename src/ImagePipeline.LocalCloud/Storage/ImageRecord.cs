namespace ImagePipeline.LocalCloud.Storage;

/// <summary>An AMI; pending → available on its timeline.</summary>
public sealed class ImageRecord
{
    public required string ImageId { get; set; }
    public required string Region { get; set; }
    public required string OwnerAccountId { get; set; }

    /// <summary>"amazon" for the public base images every region starts with; null for account-owned images.</summary>
    public string? OwnerAlias { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public string? ImageLocation { get; set; }
    public string Architecture { get; set; } = "x86_64";
    public string? Platform { get; set; }
    public string RootDeviceType { get; set; } = "ebs";
    public string? RootDeviceName { get; set; }
    public string VirtualizationType { get; set; } = "hvm";
    public string? BootMode { get; set; }
    public bool? EnaSupport { get; set; }
    public string? ImdsSupport { get; set; }
    public string? SriovNetSupport { get; set; }
    public string? KernelId { get; set; }
    public string? RamdiskId { get; set; }
    public DateTimeOffset CreationDate { get; set; }
    public DateTimeOffset? DeprecationTime { get; set; }
    public string? SourceInstanceId { get; set; }
    public string? SourceImageId { get; set; }
    public string? SourceImageRegion { get; set; }
    public List<BlockDeviceRecord> BlockDevices { get; set; } = [];
    public List<Tag> Tags { get; set; } = [];
    public List<string> LaunchPermissionUserIds { get; set; } = [];
    public List<string> LaunchPermissionOrganizationArns { get; set; } = [];
    public List<string> LaunchPermissionOrganizationalUnitArns { get; set; } = [];
    public bool IsPublic { get; set; }
    public required StateTimeline Timeline { get; set; }
    public bool Deregistered { get; set; }
}
