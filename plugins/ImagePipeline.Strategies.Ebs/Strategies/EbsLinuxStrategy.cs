using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.Ebs.Strategies;

/// <summary>ebs/linux: stops (or, with --no-reboot, keeps running) a Linux instance and captures it with CreateImage; an instance-store-backed one is imaged over SSH onto a new volume.</summary>
public sealed class EbsLinuxStrategy : EbsStrategy
{
    public override StrategyKey Key => new(BackingStore.Ebs, Platform.Linux);

    public override string Description => "Captures an EBS-backed Linux instance with CreateImage (an instance-store-backed one: its root file system imaged onto a new volume, snapshotted and registered), then tags, shares, deprecates and copies the image.";
}
