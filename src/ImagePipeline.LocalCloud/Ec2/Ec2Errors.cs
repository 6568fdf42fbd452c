using ImagePipeline.LocalCloud.Routing;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>EC2's errors, spelled as EC2 spells them (HTTP 400 unless noted).</summary>
internal static class Ec2Errors
{
    public static AwsServiceException Error(string code, string message) => new(400, code, message);

    public static AwsServiceException MissingParameter(string name) =>
        Error("MissingParameter", $"The request must contain the parameter {name}");

    public static AwsServiceException InvalidParameterValue(string message) => Error("InvalidParameterValue", message);

    public static AwsServiceException InvalidParameterCombination(string message) => Error("InvalidParameterCombination", message);

    public static AwsServiceException InstanceNotFound(IEnumerable<string> ids)
    {
        var list = ids.ToList();
        return list.Count == 1
            ? Error("InvalidInstanceID.NotFound", $"The instance ID '{list[0]}' does not exist")
            : Error("InvalidInstanceID.NotFound", $"The instance IDs '{string.Join(", ", list)}' do not exist");
    }

    public static AwsServiceException IncorrectInstanceState(string message) => Error("IncorrectInstanceState", message);

    public static AwsServiceException ImageNotFound(IEnumerable<string> ids) =>
        Error("InvalidAMIID.NotFound", $"The image id '[{string.Join(", ", ids)}]' does not exist");

    public static AwsServiceException SnapshotNotFound(string id) =>
        Error("InvalidSnapshot.NotFound", $"The snapshot '{id}' does not exist.");

    public static AwsServiceException VolumeNotFound(string id) =>
        Error("InvalidVolume.NotFound", $"The volume '{id}' does not exist.");

    public static AwsServiceException InvalidManifest(string message) => Error("InvalidManifest", message);

    public static AwsServiceException AuthFailure(string message) => new(401, "AuthFailure", message);
}
