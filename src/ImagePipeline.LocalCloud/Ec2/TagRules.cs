namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>EC2's tag limits: key 1-128 characters, value up to 256, no aws: prefix, 50 tags per resource.</summary>
internal static class TagRules
{
    public const int MaxTagsPerResource = 50;

    public static void CheckCount(int count)
    {
        if (count > MaxTagsPerResource)
        {
            throw Ec2Errors.Error("TagLimitExceeded", "The maximum number of Tags for a resource has been reached.");
        }
    }

    public static void Check(string key, string value)
    {
        if (key.Length is 0 or > 128)
        {
            throw Ec2Errors.InvalidParameterValue($"Tag key exceeds the maximum length of 128 characters");
        }

        if (value.Length > 256)
        {
            throw Ec2Errors.InvalidParameterValue($"Tag value exceeds the maximum length of 256 characters");
        }

        if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
        {
            throw Ec2Errors.InvalidParameterValue("Tag keys starting with 'aws:' are reserved for internal use");
        }
    }
}
