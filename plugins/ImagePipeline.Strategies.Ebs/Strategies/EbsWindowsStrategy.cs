using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.Ebs.Strategies;

/// <summary>ebs/windows: optionally generalizes a Windows instance with Sysprep (EC2Launch v2 over SSM), stops it and captures it.</summary>
public sealed class EbsWindowsStrategy : EbsStrategy
{
    public override StrategyKey Key => new(BackingStore.Ebs, Platform.Windows);

    public override string Description => "Captures an EBS-backed Windows instance with CreateImage (after Sysprep with --generalize), then tags, shares, deprecates and copies the image.";
}
