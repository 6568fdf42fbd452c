namespace ImagePipeline.LocalCloud.Storage;

/// <summary>An EC2 instance. Its state is read off <see cref="Timeline"/>.</summary>
public sealed class InstanceRecord
{
    public required string InstanceId { get; set; }
    public required string Region { get; set; }
    public required string OwnerAccountId { get; set; }
    public required string ImageId { get; set; }
    public string ReservationId { get; set; } = "";
    public string InstanceType { get; set; } = "t3.micro";

    /// <summary>"windows" or null (Linux/UNIX), as EC2 reports Platform.</summary>
    public string? Platform { get; set; }

    public string Architecture { get; set; } = "x86_64";

    /// <summary>ebs or instance-store.</summary>
    public string RootDeviceType { get; set; } = "ebs";

    public string RootDeviceName { get; set; } = "/dev/xvda";
    public string VirtualizationType { get; set; } = "hvm";

    /// <summary>ENA, as its image has it (a seeded instance has it).</summary>
    public bool EnaSupport { get; set; } = true;

    /// <summary>Its image's boot mode (legacy-bios, uefi, uefi-preferred), or null where the image names none.</summary>
    public string? BootMode { get; set; }

    public DateTimeOffset LaunchTime { get; set; }
    public string PrivateIpAddress { get; set; } = "10.0.0.10";

    /// <summary>Null for instances seeded before zones were recorded: they are in the region's first zone.</summary>
    public string? AvailabilityZone { get; set; }

    public string? SubnetId { get; set; }
    public string? VpcId { get; set; }
    public List<string> SecurityGroupIds { get; set; } = [];
    public string? PublicIpAddress { get; set; }
    public string? KeyName { get; set; }
    public string? IamInstanceProfileArn { get; set; }
    public string? ClientToken { get; set; }
    public List<BlockDeviceRecord> BlockDevices { get; set; } = [];
    public List<Tag> Tags { get; set; } = [];
    public required StateTimeline Timeline { get; set; }

    /// <summary>Whether SSM can reach it (seeded instances all run the agent).</summary>
    public bool SsmManaged { get; set; } = true;
}
