using System.Text.RegularExpressions;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Buckets;

namespace ImagePipeline.Strategies.InstanceStore.Parameters;

/// <summary>The parameters of the instance-store strategies, declared once and listed by each strategy for <c>--help</c>.</summary>
public static partial class InstanceStoreParameters
{
    public const string DefaultX509UploadPath = "/mnt/imagepipeline-x509";

    public const string DefaultInstanceBundleDestination = "/mnt/imagepipeline-bundle";

    public const string DefaultBundleVolCommand =
        "ec2-bundle-vol -k {key} -c {cert} -u {account_id} -e {x509_upload_path} -d {destination} -p {prefix} -r {architecture} --batch";

    // No credentials on purpose: the instance uploads with its instance role, so no AWS secret ever sits on a remote command line.
    public const string DefaultUploadBundleCommand =
        "ec2-upload-bundle -b {bucket}/{prefix} -m {manifest} --region {region} --acl aws-exec-read --retry";

    public static readonly Parameter<string> Bucket = new(
        "bucket", "The S3 bucket that holds the bundle; created in the run's region (private, encrypted) when missing.",
        BucketNameRules.Validate);

    public static readonly Parameter<string> BundlePrefix = new(
        "bundle-prefix", "The bundle's name and S3 key prefix.",
        value => BundlePrefixPattern().IsMatch(value)
            ? null
            : $"--bundle-prefix '{value}' must be 1 to 100 letters, digits, dots, hyphens or underscores, starting with a letter or digit.")
    { DefaultDescription = "image-<UTC yyyyMMddHHmmss>" };

    // Declared once in the contract: the host's VerifyBundle and UnbundleImage read the same three.
    public static readonly Parameter<string> X509CertPath = CommonParameters.X509CertPath;

    public static readonly Parameter<string> X509KeyPath = CommonParameters.X509KeyPath;

    public static readonly Parameter<string> X509KeyPassphrase = CommonParameters.X509KeyPassphrase;

    public static readonly Parameter<string> ImageFile = new(
        "image-file", "The raw disk image to bundle (Linux from a local image).");

    public static readonly Parameter<string> Ec2CertPath = new(
        "ec2-cert-path", "The EC2 certificate of the target partition (the AMI tools' cert-ec2.pem), whose key lets EC2 open the bundle.");

    public static readonly Parameter<string> AccountId = new(
        "account-id", "The AWS account id written into the manifest.",
        value => Regex.IsMatch(value.Replace("-", string.Empty, StringComparison.Ordinal), "^[0-9]{12}$")
            ? null
            : $"--account-id '{value}' is not 12 digits; pass your AWS account id, for example 123456789012.")
    { DefaultDescription = "the caller's account (STS GetCallerIdentity)" };

    public static readonly Parameter<BundleArchitecture> Architecture = new(
        "architecture", "The image's CPU architecture.")
    { Default = BundleArchitecture.X86_64 };

    public static readonly Parameter<string> BundleDestination = new(
        "bundle-destination", "The folder the bundle (parts and manifest) is written to.")
    { DefaultDescription = "a 'bundle' folder in the run's work directory" };

    public static readonly Parameter<int> UploadConcurrency = new(
        "upload-concurrency", "How many bundle parts are uploaded at once.",
        value => value < 1 ? "--upload-concurrency must be at least 1." : null)
    { Default = 4 };

    public static readonly Parameter<int> UploadAttempts = new(
        "upload-attempts", "How many times one part is tried when S3 throttles, answers 5xx or drops the connection (part uploads are retried here instead of by the SDK, so --max-attempts does not apply to them).",
        value => value < 1 ? "--upload-attempts must be at least 1." : null)
    { Default = 6 };

    public static readonly Parameter<ImageVirtualizationType> VirtualizationType = new(
        "virtualization-type", "The virtualization type of the image.")
    { Default = ImageVirtualizationType.Hvm };

    public static readonly Parameter<ImageBootMode> BootMode = new(
        "boot-mode", "The boot mode of the image; left to AWS when not set.");

    public static readonly Parameter<bool> EnaSupport = new(
        "ena-support", "Mark the image as supporting enhanced networking (ENA); left to AWS when not set.");

    public static readonly Parameter<string> ImdsSupport = new(
        "imds-support", "Set to v2.0 to make instances of the image require IMDSv2.",
        value => value == "v2.0" ? null : $"--imds-support '{value}' is not supported; the only value is v2.0.");

    public static readonly Parameter<string> RootDeviceName = new(
        "root-device-name", "The device name of the image's root volume.",
        value => value.StartsWith("/dev/", StringComparison.Ordinal) ? null : $"--root-device-name '{value}' must be a device path such as /dev/sda1.")
    { Default = "/dev/sda1" };

    public static readonly Parameter<string[]> BlockDeviceMappings = new(
        "block-device-mappings", "Instance-store volumes of the image as device=virtual-name pairs, e.g. /dev/sdb=ephemeral0.",
        ValidateBlockDeviceMappings)
    { Default = [] };

    public static readonly Parameter<string> InstanceHost = CommonParameters.InstanceHost;

    public static readonly Parameter<string> SshUser = CommonParameters.SshUser;

    public static readonly Parameter<string> SshKey = CommonParameters.SshKey;

    public static readonly Parameter<string> SshHostKeyFingerprint = CommonParameters.SshHostKeyFingerprint;

    public static readonly Parameter<int> SshPort = CommonParameters.SshPort;

    public static readonly Parameter<LiveVolumeBundler> Bundler = new(
        "bundler", "What bundles the live volume of --instance-host: builtin (our program, copied there for the run; the private key stays here) or ami-tools (ec2-bundle-vol and ec2-upload-bundle installed on the instance).")
    { Default = LiveVolumeBundler.Builtin };

    // Declared once in the contract: the EBS strategy images a live volume with the same options.
    public static readonly Parameter<string> Volume = VolumeImageParameters.Volume;

    public static readonly Parameter<int> VolumeSize = new(
        "volume-size", "The image size in MB (--bundler builtin); at most 10240, as ec2-bundle-vol.",
        value => value is < 16 or > 10240 ? $"--volume-size {value} is out of range; pass 16 to 10240 (MB)." : null)
    { DefaultDescription = "10240" };

    public static readonly Parameter<string[]> VolumeExclude = VolumeImageParameters.VolumeExclude;

    public static readonly Parameter<string[]> VolumeInclude = VolumeImageParameters.VolumeInclude;

    public static readonly Parameter<bool> VolumeNoFilter = VolumeImageParameters.VolumeNoFilter;

    public static readonly Parameter<bool> VolumeAllMounts = VolumeImageParameters.VolumeAllMounts;

    public static readonly Parameter<string> VolumeFstab = VolumeImageParameters.VolumeFstab;

    public static readonly Parameter<bool> VolumeGenerateFstab = VolumeImageParameters.VolumeGenerateFstab;

    public static readonly Parameter<VolumePartitionTable> VolumePartition = VolumeImageParameters.VolumePartition;

    public static readonly Parameter<string> KernelId = new(
        "kernel-id", "The kernel (aki-...) a paravirtual image boots with, written into the bundle's manifest.",
        value => KernelIdPattern().IsMatch(value) ? null : $"--kernel-id '{value}' is not a kernel image id; pass aki- and 8 or 17 hex digits, for example aki-88aa75e1.");

    public static readonly Parameter<string> RamdiskId = new(
        "ramdisk-id", "The ramdisk (ari-...) a paravirtual image boots with, written into the bundle's manifest.",
        value => RamdiskIdPattern().IsMatch(value) ? null : $"--ramdisk-id '{value}' is not a ramdisk image id; pass ari- and 8 or 17 hex digits, for example ari-a51cf9cc.");

    public static readonly Parameter<string> X509UploadPath = new(
        "x509-upload-path", "The folder on the instance the certificates (and, with --bundler ami-tools, the key) are copied to; it is left out of the bundle (with ami-tools it must be under /mnt or passed with -e).",
        value => value.StartsWith('/') ? null : $"--x509-upload-path '{value}' must be an absolute path on the instance.")
    { Default = DefaultX509UploadPath };

    public static readonly Parameter<string> InstanceBundleDestination = new(
        "instance-bundle-destination", "The folder on the instance the bundle is written to ({destination} in --bundle-vol-command).",
        value => value.StartsWith('/') ? null : $"--instance-bundle-destination '{value}' must be an absolute path on the instance.")
    { Default = DefaultInstanceBundleDestination };

    public static readonly Parameter<string> BundleVolCommand = new(
        "bundle-vol-command", "The command that bundles the live volume on the instance; {key} {cert} {account_id} {x509_upload_path} {destination} {prefix} {architecture} are filled in.")
    { Default = DefaultBundleVolCommand };

    public static readonly Parameter<BundleUploadSource> UploadFrom = new(
        "upload-from", "Upload a live-volume bundle from the instance (with its instance role) or from this host (pulled over SFTP).")
    { Default = BundleUploadSource.Instance };

    public static readonly Parameter<string> UploadBundleCommand = new(
        "upload-bundle-command", "The command that uploads the bundle from the instance; {bucket} {prefix} {manifest} {region} are filled in. It must use the instance role: never put AWS keys in it.")
    { Default = DefaultUploadBundleCommand };

    /// <summary>Parses --block-device-mappings into device → virtual name.</summary>
    public static IReadOnlyDictionary<string, string> ParseBlockDeviceMappings(IEnumerable<string> items) => TagList.Parse(items);

    private static string? ValidateBlockDeviceMappings(string[] items)
    {
        foreach (var item in items)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !item.StartsWith("/dev/", StringComparison.Ordinal) || !Regex.IsMatch(item[(equals + 1)..].Trim(), "^ephemeral[0-9]+$"))
            {
                return $"--block-device-mappings item '{item}' is not DEVICE=ephemeralN, for example /dev/sdb=ephemeral0.";
            }
        }

        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex BundlePrefixPattern();

    [GeneratedRegex("^aki-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex KernelIdPattern();

    [GeneratedRegex("^ari-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex RamdiskIdPattern();
}
