using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Launching;

/// <summary>What LaunchInstance's steps record in the run state (the instance itself is <see cref="InstanceState.Launched"/>).</summary>
public static class LaunchState
{
    public static readonly StateKey<SourceImage> SourceImage = new("launch.source-image");

    public static readonly StateKey<TemporaryKeyPair> TemporaryKeyPair = new("launch.temporary-key-pair");

    /// <summary>The temporary security group's id.</summary>
    public static readonly StateKey<string> TemporarySecurityGroup = new("launch.temporary-security-group");

    /// <summary>The temporary key pair the recorded instance was launched with: another one (made again after its private key was lost) cannot log in to it.</summary>
    public static readonly StateKey<string> LaunchedWithKeyPairId = new("launch.launched-with-key-pair-id");

    /// <summary>How many instances this run launched: part of RunInstances' client token, so a launch anew is not taken for a retry of the first.</summary>
    public static readonly StateKey<int> LaunchCount = new("launch.launch-count");
}
