namespace ImagePipeline.Strategies.InstanceStore.Buckets;

/// <summary>Turns S3's LocationConstraint answers into region names.</summary>
public static class BucketRegions
{
    /// <summary>GetBucketLocation answers nothing for us-east-1 and "EU" for old eu-west-1 buckets.</summary>
    public static string FromLocationConstraint(string? location) => location switch
    {
        null or "" or "US" => "us-east-1",
        "EU" => "eu-west-1",
        _ => location,
    };
}
