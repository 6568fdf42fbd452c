using Microsoft.Extensions.Logging;

namespace ImagePipeline.LocalCloud;

/// <summary>How a <see cref="LocalCloudServer"/> is started.</summary>
public sealed class LocalCloudOptions
{
    /// <summary>Where state (metadata as JSON, objects as files) persists between runs.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The loopback port; 0 picks an ephemeral one.</summary>
    public int Port { get; init; }

    /// <summary>Every state transition is derived from this clock, so a fake clock can drive it.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long a new image stays <c>pending</c> before it is <c>available</c>.</summary>
    public TimeSpan ImageAvailableDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long pending→running, stopping→stopped and shutting-down→terminated take.</summary>
    public TimeSpan InstanceTransitionDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a snapshot stays <c>pending</c>.</summary>
    public TimeSpan SnapshotCompletionDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long each bundle-task state lasts.</summary>
    public TimeSpan BundleTaskStepDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// True answers BundleInstance as the old EC2 did for instance-store Windows instances; false refuses it the way
    /// today's AWS does, so the pipeline's handling of that refusal can be tested.
    /// </summary>
    public bool BundleInstanceSupported { get; init; } = true;

    /// <summary>Checks every SigV4 signature against the well-known secrets (SignatureDoesNotMatch), as AWS does.</summary>
    public bool VerifySignatures { get; init; } = true;

    /// <summary>
    /// The clock request signatures are checked against (X-Amz-Date within 15 minutes, presigned URLs before expiry).
    /// It is separate from <see cref="TimeProvider"/> because the SDK signs with the machine's real time even when the
    /// resource states are driven by a fake clock. Null turns the check off.
    /// </summary>
    public TimeProvider? SigningClock { get; init; } = TimeProvider.System;

    /// <summary>
    /// The address every instance RunInstances launches gets as its private IP, and as its public IP when it has one
    /// (default subnet or AssociatePublicIpAddress): point it at a loopback sshd and the launched instance answers SSH.
    /// Null makes up addresses in the subnet's range, as AWS hands them out.
    /// </summary>
    public string? InstanceSshAddress { get; init; }

    /// <summary>
    /// When set, launching an instance with KeyName appends that key pair's public key (OpenSSH format) to this file,
    /// as cloud-init does with the login user's authorized_keys. Null writes nothing.
    /// </summary>
    public string? AuthorizedKeysFile { get; init; }

    /// <summary>
    /// When set, a volume CreateVolume made appears here while it is attached, as DIR/&lt;device name without /dev/&gt;
    /// (a symbolic link to the file holding its bytes), as the device appears on an instance: point the loopback
    /// instance's agent at it and what it writes is the volume's data, which CreateSnapshot keeps. Null exposes nothing.
    /// </summary>
    public string? AttachedVolumeDirectory { get; init; }

    /// <summary>Clears the persisted state at start.</summary>
    public bool Reset { get; init; }

    /// <summary>Where the server logs; null logs nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
