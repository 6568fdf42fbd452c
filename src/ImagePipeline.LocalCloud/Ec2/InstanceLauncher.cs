using System.Text.RegularExpressions;
using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>
/// RunInstances, checked as EC2 checks it before anything is created: the image is visible to the caller and
/// available, the instance type exists and runs the image's architecture (and its instance-store root), the key pair,
/// subnet and security groups exist in the caller's account (the groups in the subnet's VPC), the instance profile is
/// well-formed, the user data is base64 of at most 16 KB. Every instance then starts pending and runs after
/// InstanceTransitionDelay.
/// </summary>
internal sealed partial class InstanceLauncher(LocalCloudOptions options)
{
    private const int MaxUserDataBytes = 16 * 1024;

    [GeneratedRegex(@"^[\w+=,.@-]{1,128}$")]
    private static partial Regex ProfileName();

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::\d{12}:instance-profile/(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,128}$")]
    private static partial Regex ProfileArn();

    /// <summary>Launches the reservation and returns its id. Call under the state gate.</summary>
    public string Launch(Ec2Call call)
    {
        var query = call.Query;
        var account = call.Caller.AccountId;
        var imageId = query.Require("ImageId");
        var min = query.Int("MinCount") ?? throw Ec2Errors.MissingParameter("MinCount");
        var max = query.Int("MaxCount") ?? throw Ec2Errors.MissingParameter("MaxCount");
        if (min < 1 || max < min)
        {
            throw Ec2Errors.InvalidParameterValue($"Invalid value '{min}' for MinCount. Must be between 1 and MaxCount.");
        }

        var image = ImageOperations.FindVisible(call, [imageId]).Single();
        if (image.Timeline.StateAt(call.Now) != "available")
        {
            throw Ec2Errors.Error("InvalidAMIID.Unavailable", $"The image id '[{imageId}]' is not available");
        }

        var typeName = query.Get("InstanceType") ?? "m1.small";
        var type = InstanceTypeCatalog.Find(typeName) ?? throw Ec2Errors.InvalidParameterValue($"Invalid value '{typeName}' for InstanceType.");
        if (!type.Architectures.Contains(image.Architecture))
        {
            var architectures = string.Join(',', type.Architectures.OrderBy(a => a == "x86_64" ? 0 : 1));
            throw Ec2Errors.InvalidParameterValue(
                $"The architecture '{architectures}' of the specified instance type does not match the architecture '{image.Architecture}' of the specified AMI. "
                + "Specify an instance type and an AMI that have matching architectures, and try again. "
                + "You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.");
        }

        if (image.RootDeviceType == "instance-store" && !type.InstanceStoreRoot)
        {
            throw Ec2Errors.Error("UnsupportedOperation", $"AMI '{imageId}' with an instance-store root device is not supported for the instance type '{typeName}'.");
        }

        var keyName = query.Get("KeyName");
        var keyPair = keyName is null ? null : call.Region.KeyPairs.Values.FirstOrDefault(k => k.OwnerAccountId == account && k.KeyName == keyName)
            ?? throw Ec2Errors.Error("InvalidKeyPair.NotFound", $"The key pair '{keyName}' does not exist");

        var (subnet, groupIds, publicIp) = Network(call);
        var profileArn = InstanceProfile(call);
        CheckUserData(query.Get("UserData"));
        var tagSpecs = query.TagSpecifications("instance", "volume");

        var reservation = ResourceIds.New("r");
        for (var n = 0; n < max; n++)
        {
            var instance = InstanceFactory.Launch(call.Region, image, new LaunchSpec
            {
                OwnerAccountId = account,
                InstanceType = typeName,
                Subnet = subnet,
                SecurityGroupIds = groupIds,
                ReservationId = reservation,
                State = "pending",
                AssociatePublicIp = publicIp,
                KeyName = keyName,
                IamInstanceProfileArn = profileArn,
                ClientToken = query.Get("ClientToken"),
                Tags = tagSpecs.GetValueOrDefault("instance") ?? [],
                VolumeTags = tagSpecs.GetValueOrDefault("volume") ?? [],
                FixedAddress = options.InstanceSshAddress,

                // The SSM agent comes with Amazon's images and needs a role to register: an instance profile.
                SsmManaged = profileArn is not null && (image.Platform == "windows" || image.OwnerAlias == "amazon"),
            }, call.Now);
            instance.Timeline.Schedule(call.Now, (options.InstanceTransitionDelay, "running"));
        }

        if (keyPair is not null && options.AuthorizedKeysFile is { } authorizedKeys)
        {
            AuthorizedKeys.Append(authorizedKeys, keyPair.PublicKey);
        }

        return reservation;
    }

    /// <summary>The subnet (given, on the first network interface, or the default one), the groups and whether a public IP is associated.</summary>
    private static (SubnetRecord Subnet, List<string> Groups, bool PublicIp) Network(Ec2Call call)
    {
        var query = call.Query;
        var account = call.Caller.AccountId;
        var interfaces = query.Indexes("NetworkInterface");
        var subnetId = query.Get("SubnetId");
        var groupIds = query.List("SecurityGroupId");
        var groupNames = query.List("SecurityGroup");
        bool? associate = null;
        if (interfaces.Count > 0)
        {
            if (subnetId is not null)
            {
                throw Ec2Errors.InvalidParameterCombination("Network interfaces and an instance-level subnet ID may not be specified on the same request");
            }

            if (groupIds.Count > 0 || groupNames.Count > 0)
            {
                throw Ec2Errors.InvalidParameterCombination("Network interfaces and an instance-level security groups may not be specified on the same request");
            }

            var first = $"NetworkInterface.{interfaces[0]}";
            subnetId = query.Get($"{first}.SubnetId");
            groupIds = query.List($"{first}.SecurityGroupId");
            associate = query.OptionalBool($"{first}.AssociatePublicIpAddress");
        }

        SubnetRecord subnet;
        if (subnetId is null)
        {
            subnet = DefaultNetwork.DefaultSubnet(call.Region, account)
                ?? throw Ec2Errors.Error("VPCIdNotSpecified", "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.");
        }
        else
        {
            subnet = call.Region.Subnets.TryGetValue(subnetId, out var found) && found.OwnerAccountId == account
                ? found
                : throw Ec2Errors.Error("InvalidSubnetID.NotFound", $"The subnet ID '{subnetId}' does not exist");
        }

        var groups = new List<string>();
        foreach (var id in groupIds)
        {
            if (!call.Region.SecurityGroups.TryGetValue(id, out var group) || group.OwnerAccountId != account || group.VpcId != subnet.VpcId)
            {
                throw Ec2Errors.Error("InvalidGroup.NotFound", $"The security group '{id}' does not exist in VPC '{subnet.VpcId}'");
            }

            groups.Add(id);
        }

        foreach (var name in groupNames)
        {
            var group = call.Region.SecurityGroups.Values.FirstOrDefault(g => g.OwnerAccountId == account && g.VpcId == subnet.VpcId && g.GroupName == name)
                ?? throw Ec2Errors.Error("InvalidGroup.NotFound", $"The security group '{name}' does not exist in VPC '{subnet.VpcId}'");
            groups.Add(group.GroupId);
        }

        if (groups.Count == 0)
        {
            groups.Add(call.Region.SecurityGroups.Values.First(g => g.VpcId == subnet.VpcId && g.GroupName == "default").GroupId);
        }

        return (subnet, [.. groups.Distinct()], associate ?? subnet.MapPublicIpOnLaunch);
    }

    private static string? InstanceProfile(Ec2Call call)
    {
        var name = call.Query.Get("IamInstanceProfile.Name");
        var arn = call.Query.Get("IamInstanceProfile.Arn");
        if (name is not null && arn is not null)
        {
            throw Ec2Errors.InvalidParameterCombination("The parameter 'iamInstanceProfile.name' may not be used in combination with 'iamInstanceProfile.arn'");
        }

        if (name is not null)
        {
            return ProfileName().IsMatch(name)
                ? $"arn:aws:iam::{call.Caller.AccountId}:instance-profile/{name}"
                : throw Ec2Errors.InvalidParameterValue($"Value ({name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name");
        }

        if (arn is not null)
        {
            return ProfileArn().IsMatch(arn)
                ? arn
                : throw Ec2Errors.InvalidParameterValue($"Value ({arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN");
        }

        return null;
    }

    private static void CheckUserData(string? userData)
    {
        if (userData is null)
        {
            return;
        }

        var decoded = new byte[userData.Length];
        if (!Convert.TryFromBase64String(userData, decoded, out var length))
        {
            throw Ec2Errors.Error("InvalidUserData.Malformed", "Invalid BASE64 encoding of user data.");
        }

        if (length > MaxUserDataBytes)
        {
            throw Ec2Errors.InvalidParameterValue($"User data is limited to {MaxUserDataBytes} bytes");
        }
    }
}
