using System.Net;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Launching;

/// <summary>The parameters of LaunchInstance (with <c>--source-ami</c>/<c>--source-ami-filter</c> and the <c>--ssh-*</c> ones in <see cref="CommonParameters"/>).</summary>
public static class LaunchParameters
{
    public static readonly Parameter<bool> SourceAmiMostRecent = new(
        "source-ami-most-recent", "With --source-ami-filter: launch from the newest matching image (by creation date) instead of refusing several matches.")
    { Default = false };

    public static readonly Parameter<string> InstanceType = new(
        "instance-type", "The instance type to launch the base image on; it must run the image's architecture.",
        value => System.Text.RegularExpressions.Regex.IsMatch(value, "^[a-z][a-z0-9-]*\\.[a-z0-9]+$") ? null : $"--instance-type '{value}' is not an instance type (for example t3.micro).")
    { DefaultDescription = "t3.micro for x86_64 images, t4g.micro for arm64, m3.medium for instance-store-backed x86_64 images" };

    public static readonly Parameter<string> SubnetId = new(
        "subnet-id", "The subnet to launch in (its VPC holds the temporary security group); the default VPC's when unset.",
        value => System.Text.RegularExpressions.Regex.IsMatch(value, "^subnet-[0-9a-f]{8,17}$") ? null : $"--subnet-id '{value}' is not a subnet id (subnet- followed by 8 or 17 hexadecimal digits).");

    public static readonly Parameter<string> IamInstanceProfile = new(
        "iam-instance-profile", "The instance profile (name or ARN) the launched instance runs with; Windows provisioning over SSM needs one that allows the SSM agent.");

    public static readonly Parameter<string> UserDataFile = new(
        "user-data-file", "A file passed to the launched instance as user data (cloud-init, a shell script, EC2Launch), at most 16 KB.");

    public static readonly Parameter<bool> AssociatePublicIp = new(
        "associate-public-ip", "Give the launched instance a public IP address (needed to reach it over SSH from outside its VPC when the subnet does not give one).")
    { Default = false };

    public static readonly Parameter<string[]> InstanceTags = new(
        "instance-tags", "Tags for the launched instance and its volumes, as key=value items (a Name tag and the run id are added).",
        TagList.Validate)
    { Default = [] };

    public static readonly Parameter<string> SshKeyPairName = new(
        "ssh-key-pair-name", "An existing EC2 key pair to launch with (give its private key with --ssh-key); unset, a temporary key pair is made when something logs in.");

    public static readonly Parameter<string[]> SecurityGroupIds = new(
        "security-group-ids", "Existing security groups for the launched instance; unset, a temporary group admitting SSH from --ssh-source-cidr is made when something logs in.",
        ids => ids.FirstOrDefault(id => !System.Text.RegularExpressions.Regex.IsMatch(id, "^sg-[0-9a-f]{8,17}$")) is { } bad ? $"--security-group-ids '{bad}' is not a security group id (sg- followed by 8 or 17 hexadecimal digits)." : null)
    { Default = [] };

    public static readonly Parameter<string> SshSourceCidr = new(
        "ssh-source-cidr", "The addresses the temporary security group admits SSH from (CIDR); unset, this machine's public address (asked of checkip.amazonaws.com).",
        value => IPNetwork.TryParse(value, out _) ? null : $"--ssh-source-cidr '{value}' is not a CIDR block (for example 203.0.113.7/32).")
    { DefaultDescription = "this machine's public address/32" };

    public static readonly Parameter<bool> KeepInstance = new(
        "keep-instance", "Leave the launched instance running when the run ends (it is terminated otherwise, after success too), with its temporary key pair and security group.")
    { Default = false };

    /// <summary>What only shapes an instance the run launches: given to a run that launches none, each would be ignored.</summary>
    public static IReadOnlyList<ParameterDefinition> LaunchOnly { get; } =
    [
        SourceAmiMostRecent,
        InstanceType,
        SubnetId,
        IamInstanceProfile,
        UserDataFile,
        AssociatePublicIp,
        InstanceTags,
        SshKeyPairName,
        SecurityGroupIds,
        SshSourceCidr,
        KeepInstance,
    ];

    /// <summary>Everything LaunchInstance reads, for the host's catalog, <c>--help</c> and the schema.</summary>
    public static IReadOnlyList<ParameterDefinition> All { get; } =
    [
        CommonParameters.SourceAmi,
        CommonParameters.SourceAmiFilter,
        .. LaunchOnly,
        CommonParameters.SshUser,
        CommonParameters.SshKey,
        CommonParameters.SshPort,
        CommonParameters.SshHostKeyFingerprint,
    ];
}
