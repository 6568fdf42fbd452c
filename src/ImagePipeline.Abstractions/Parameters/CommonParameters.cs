namespace ImagePipeline.Abstractions;

/// <summary>
/// Parameters that the host and several strategies share. A strategy lists the ones it reads in
/// <see cref="IImageStrategy.Parameters"/> so that <c>--help</c> and the schema show them.
/// </summary>
public static class CommonParameters
{
    public static readonly Parameter<BackingStore> BackingStore = new(
        "backing-store", "Where the image's root volume lives: instance-store (S3 bundle) or ebs (snapshot).")
    { Default = Abstractions.BackingStore.InstanceStore };

    public static readonly Parameter<Platform> Platform = new(
        "platform", "The operating system of the image.")
    { Default = Abstractions.Platform.Linux };

    public static readonly Parameter<string> Region = new(
        "region", "The AWS region to build in; defaults to the SDK's region (AWS_REGION, profile) or us-east-1 against the local cloud.")
    { FallbackEnvironmentVariables = ["AWS_REGION", "AWS_DEFAULT_REGION"] };

    public static readonly Parameter<string> ImageName = new(
        "ami-name", "The name of the new AMI: 3 to 128 characters of letters, digits, ( ) [ ] space . / - ' @ _; {timestamp} (UTC, yyyyMMddHHmmss), {date} (UTC, yyyy-MM-dd) and {git_sha} (the commit's first 7 hex digits, from GITHUB_SHA and the like, else git; refused when there is none) are expanded.",
        ImageNameRules.Validate);

    public static readonly Parameter<string> ImageDescription = new(
        "ami-description", "The description of the new AMI (at most 255 characters).",
        value => value.Length > 255 ? "--ami-description is longer than 255 characters." : null);

    public static readonly Parameter<string[]> Tags = new(
        "tags", "Tags for the image, as key=value,key=value.", TagList.Validate)
    { Default = [] };

    public static readonly Parameter<bool> ForceDeregister = new(
        "force-deregister", "Replace an existing image of the same name owned by you.")
    { Default = false };

    public static readonly Parameter<string> InstanceId = new(
        "instance-id", "The EC2 instance to image (i-...).",
        value => System.Text.RegularExpressions.Regex.IsMatch(value, "^i-[0-9a-f]{8,17}$") ? null : $"--instance-id '{value}' is not an instance id (i- followed by 8 or 17 hexadecimal digits).");

    public static readonly Parameter<string> SourceAmi = new(
        "source-ami", "Launch an instance from this base image (ami-…) and capture it, instead of an instance, host or file you give (LaunchInstance).",
        value => System.Text.RegularExpressions.Regex.IsMatch(value, "^ami-[0-9a-f]{8,17}$") ? null : $"--source-ami '{value}' is not an image id (ami- followed by 8 or 17 hexadecimal digits).");

    public static readonly Parameter<string[]> SourceAmiFilter = new(
        "source-ami-filter", "Launch from the base image matching name=PATTERN,owner=ACCOUNT|amazon|self,architecture=…,virtualization-type=…,root-device-type=… (several matches are an error unless --source-ami-most-recent).",
        SourceImageFilter.Validate);

    public static readonly Parameter<string> InstanceHost = new(
        "instance-host", "Capture the live root volume of the Linux instance at this host over SSH (instance store), or provision it; a launched instance's address is used when the run launches one.");

    public static readonly Parameter<string> SshUser = new(
        "ssh-user", "The user to log in as over SSH (--instance-host, or the launched instance).")
    { Default = "ec2-user" };

    public static readonly Parameter<string> SshKey = new(
        "ssh-key", "The private key (OpenSSH or PEM) to log in to --instance-host with; a launched instance gets a temporary key pair unless --ssh-key-pair-name is given.");

    public static readonly Parameter<string> SshHostKeyFingerprint = new(
        "ssh-host-key-fingerprint", "The SHA256 fingerprint of --instance-host's host key (as ssh-keygen -l prints it); the connection is refused when it differs. Unset, the key is accepted and its fingerprint logged.");

    public static readonly Parameter<int> SshPort = new(
        "ssh-port", "The SSH port of --instance-host or of the launched instance.",
        value => value is < 1 or > 65535 ? "--ssh-port must be between 1 and 65535." : null)
    { Default = 22 };

    public static readonly Parameter<TimeSpan> PollDelay = new(
        "poll-delay", "Seconds between polls while waiting for AWS (image available, bundle task, snapshots).",
        value => value <= TimeSpan.Zero ? "--poll-delay must be a positive number of seconds." : null)
    { Default = TimeSpan.FromSeconds(15), FallbackEnvironmentVariables = ["AWS_POLL_DELAY_SECONDS"] };

    public static readonly Parameter<TimeSpan> MaxWait = new(
        "max-wait", "The longest, in seconds, to wait for one AWS resource to be ready.",
        value => value <= TimeSpan.Zero ? "--max-wait must be a positive number of seconds." : null)
    { Default = TimeSpan.FromMinutes(60) };

    /// <summary>The user's X.509 certificate: an instance-store bundle is signed and encrypted for it, and opened with its key.</summary>
    public static readonly Parameter<string> X509CertPath = new(
        "x509-cert-path", "The X.509 certificate (PEM) whose key signs and opens the bundle.");

    public static readonly Parameter<string> X509KeyPath = new(
        "x509-key-path", "The RSA private key (PEM, PKCS#1 or PKCS#8) matching the X.509 certificate.");

    public static readonly Parameter<string> X509KeyPassphrase = new(
        "x509-key-passphrase", "The passphrase of an encrypted private key.")
    { IsSecret = true };

    public static readonly Parameter<bool> KeepOnFailure = new(
        "keep-on-failure", "Keep what a failed run created (bucket, uploads, image) so it can be inspected or resumed. Staged keys are removed all the same.")
    { Default = false };
}
