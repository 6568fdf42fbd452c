namespace ImagePipeline.Abstractions;

/// <summary>
/// The instance LaunchInstance started from a base image, as the run state keeps it (<see cref="InstanceState.Launched"/>).
/// Strategies read it through <see cref="InstanceSource"/>, never directly.
/// </summary>
/// <param name="InstanceId">The instance (i-…).</param>
/// <param name="SourceImageId">The base image it was launched from.</param>
/// <param name="AvailabilityZone">Where it runs: a new volume for it must be made in the same zone.</param>
/// <param name="RootDeviceType">The base image's root device type: <c>ebs</c> or <c>instance-store</c>.</param>
/// <param name="Architecture">The base image's architecture (<c>x86_64</c>, <c>arm64</c>, <c>i386</c>).</param>
/// <param name="Ssh">How to log in to it, or null when nothing in the run connects to it over SSH.</param>
public sealed record LaunchedInstance(
    string InstanceId,
    string SourceImageId,
    string AvailabilityZone,
    string RootDeviceType,
    string Architecture,
    SshEndpoint? Ssh);
