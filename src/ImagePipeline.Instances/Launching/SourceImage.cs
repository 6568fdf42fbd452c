namespace ImagePipeline.Instances.Launching;

/// <summary>The base image LaunchInstance starts the instance from, as DescribeImages told it (kept in the run state).</summary>
/// <param name="ImageId">The image (ami-…).</param>
/// <param name="Name">Its name, for messages.</param>
/// <param name="Architecture"><c>x86_64</c>, <c>arm64</c> or <c>i386</c>.</param>
/// <param name="RootDeviceType"><c>ebs</c> or <c>instance-store</c>.</param>
/// <param name="IsWindows">True for a Windows image (Platform <c>windows</c>).</param>
public sealed record SourceImage(string ImageId, string Name, string Architecture, string RootDeviceType, bool IsWindows);
