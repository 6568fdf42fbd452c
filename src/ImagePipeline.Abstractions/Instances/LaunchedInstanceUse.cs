namespace ImagePipeline.Abstractions;

/// <summary>How a strategy captures an instance that LaunchInstance starts from a base image.</summary>
public enum LaunchedInstanceUse
{
    /// <summary>The strategy cannot capture a launched instance (it bundles a file, or was written before contract 1.2): <c>--source-ami</c> is refused.</summary>
    NotSupported,

    /// <summary>The strategy needs only the instance id (EBS CreateImage, BundleInstance): nothing connects to the instance for it.</summary>
    ById,

    /// <summary>The strategy logs in over SSH (the live-volume bundler): the launch makes sure SSH is reachable.</summary>
    OverSsh,

    /// <summary>The strategy sends commands through SSM Run Command (Sysprep on Windows): the launch waits for the SSM agent, which needs an instance profile.</summary>
    OverSsm,
}
