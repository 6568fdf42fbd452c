using System.Globalization;
using System.Text.RegularExpressions;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.Ebs.Parameters;

/// <summary>The parameters only the EBS strategies read; the shared ones come from <see cref="CommonParameters"/>.</summary>
public static partial class EbsParameters
{
    public static readonly Parameter<bool> NoReboot = new(
        "no-reboot", "Image the instance while it runs instead of stopping it first; file-system consistency is then your job. Refused for Windows.")
    { Default = false };

    public static readonly Parameter<bool> LeaveStopped = new(
        "leave-stopped", "Leave the instance stopped after imaging instead of starting it again (only when this run stopped it).")
    { Default = false };

    public static readonly Parameter<bool> Generalize = new(
        "generalize", "Windows: run Sysprep through EC2Launch v2 (SSM Run Command) before the capture, so the image gets a new identity on launch.")
    { Default = false };

    public static readonly Parameter<string[]> ExcludeDevices = new(
        "exclude-devices", "Device names left out of the image (NoDevice), for example /dev/sdf,/dev/xvdg.", ValidateDevices)
    { Default = [] };

    public static readonly Parameter<int> RootVolumeSize = new(
        "root-volume-size", "The size in GiB of the image's root volume, when it should differ from the instance's (an instance-store-backed instance: the new volume its root file system is imaged onto; by default the size of --volume's file system, rounded up to whole GiB).",
        value => value is < 1 or > 65536 ? "--root-volume-size must be between 1 and 65536 GiB." : null);

    public static readonly Parameter<string> VolumeType = new(
        "volume-type", "The EBS volume type of the image's volumes (gp2, gp3, io1, io2, st1, sc1, standard); an image of an instance-store-backed instance gets gp3 unless given.",
        value => value is "gp2" or "gp3" or "io1" or "io2" or "st1" or "sc1" or "standard"
            ? null
            : $"--volume-type '{value}' is not an EBS volume type; use gp2, gp3, io1, io2, st1, sc1 or standard.");

    public static readonly Parameter<string> AttachedDevicePath = new(
        "attached-device-path", "Where an instance-store-backed instance shows the new volume its root file system is imaged onto, when not at /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_VOLUMEID, /dev/xvdX or /dev/sdX: a path on the instance with {device} for the name it is attached as (sdf…sdp), for example /dev/{device}.",
        value => value.StartsWith('/') && value.Contains("{device}", StringComparison.Ordinal)
            ? null
            : $"--attached-device-path '{value}' must be an absolute path on the instance holding {{device}}, for example /dev/{{device}}.");

    public static readonly Parameter<string[]> SnapshotTags = new(
        "snapshot-tags", "Tags for the image's snapshots, as key=value,key=value.", TagList.Validate)
    { Default = [] };

    public static readonly Parameter<string[]> ShareWithAccounts = new(
        "share-with-accounts", "AWS account ids (12 digits) allowed to launch the image, in every region it is published to.", ValidateAccounts)
    { Default = [] };

    public static readonly Parameter<string[]> ShareWithOrgArns = new(
        "share-with-org-arns", "AWS Organizations ARNs (arn:aws:organizations::…:organization/o-…) allowed to launch the image.", ValidateOrganizationArns)
    { Default = [] };

    public static readonly Parameter<string> DeprecateAt = new(
        "deprecate-at", "When the image is deprecated, as an ISO 8601 UTC time (2027-06-30T00:00:00Z).",
        value => TryParseUtc(value, out _) ? null : $"--deprecate-at '{value}' is not an ISO 8601 UTC time; write it like 2027-06-30T00:00:00Z.");

    public static readonly Parameter<string[]> CopyToRegions = new(
        "copy-to-regions", "Other regions to copy the finished image to (in parallel), for example eu-west-1,us-west-2.", ValidateRegions)
    { Default = [] };

    public static readonly Parameter<bool> EncryptCopies = new(
        "encrypt-copies", "Encrypt the snapshots of the region copies (with --kms-key-id, or the account's default EBS key).")
    { Default = false };

    public static readonly Parameter<string> KmsKeyId = new(
        "kms-key-id", "The KMS key (id, alias or ARN) that encrypts the region copies; needs --encrypt-copies.");

    public static readonly Parameter<bool> ForceDeleteSnapshots = new(
        "force-delete-snapshots", "With --force-deregister, also delete the snapshots of the image that is replaced.")
    { Default = false };

    /// <summary>Parses an ISO 8601 time that says it is UTC (Z or +00:00), as --deprecate-at takes it.</summary>
    public static bool TryParseUtc(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value)
        && value.Offset == TimeSpan.Zero
        && (text.EndsWith('Z') || text.EndsWith("+00:00", StringComparison.Ordinal));

    [GeneratedRegex("^/dev/[a-z0-9]+$")]
    private static partial Regex DeviceName();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountId();

    [GeneratedRegex("^arn:aws[a-z-]*:organizations::[0-9]{12}:organization/o-[a-z0-9]{10,32}$")]
    private static partial Regex OrganizationArn();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]$")]
    private static partial Regex RegionName();

    private static string? ValidateDevices(string[] devices) =>
        devices.FirstOrDefault(device => !DeviceName().IsMatch(device)) is { } bad
            ? $"--exclude-devices '{bad}' is not a device name; write devices like /dev/sdf."
            : null;

    private static string? ValidateAccounts(string[] accounts) =>
        accounts.FirstOrDefault(account => !AccountId().IsMatch(account)) is { } bad
            ? $"--share-with-accounts '{bad}' is not an AWS account id (12 digits, no dashes)."
            : null;

    private static string? ValidateOrganizationArns(string[] arns) =>
        arns.FirstOrDefault(arn => !OrganizationArn().IsMatch(arn)) is { } bad
            ? $"--share-with-org-arns '{bad}' is not an organization ARN (arn:aws:organizations::ACCOUNT:organization/o-ID)."
            : null;

    private static string? ValidateRegions(string[] regions) =>
        regions.FirstOrDefault(region => !RegionName().IsMatch(region)) is { } bad
            ? $"--copy-to-regions '{bad}' is not a region name (like eu-west-1)."
            : null;
}
