using System.Text.RegularExpressions;
using ImagePipeline.LocalCloud.Routing;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>The id shapes EC2 accepts (prefix, then 8 or 17 lowercase hex digits); anything else is Malformed.</summary>
internal static partial class Ec2Ids
{
    [GeneratedRegex("^(?<prefix>[a-z]+)-(?<hex>[0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex Shape();

    public static bool IsWellFormed(string id, string prefix)
    {
        var match = Shape().Match(id);
        return match.Success && match.Groups["prefix"].Value == prefix;
    }

    public static void RequireInstanceId(string id)
    {
        if (!IsWellFormed(id, "i"))
        {
            throw Ec2Errors.Error("InvalidInstanceID.Malformed", $"Invalid id: \"{id}\"");
        }
    }

    public static void RequireImageId(string id)
    {
        if (!IsWellFormed(id, "ami"))
        {
            throw Ec2Errors.Error("InvalidAMIID.Malformed", $"Invalid id: \"{id}\" (expecting \"ami-...\")");
        }
    }

    public static void RequireSnapshotId(string id)
    {
        if (!IsWellFormed(id, "snap"))
        {
            throw Ec2Errors.Error("InvalidSnapshotID.Malformed", $"Invalid id: \"{id}\" (expecting \"snap-...\")");
        }
    }

    public static void RequireVolumeId(string id)
    {
        if (!IsWellFormed(id, "vol"))
        {
            throw Ec2Errors.Error("InvalidVolumeID.Malformed", $"Invalid id: \"{id}\" (expecting \"vol-...\")");
        }
    }

    public static AwsServiceException UnknownResource(string id) => Ec2Errors.Error("InvalidID", $"The ID '{id}' is not valid");
}
