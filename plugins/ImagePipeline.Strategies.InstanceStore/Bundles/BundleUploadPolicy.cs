using System.Globalization;
using System.Text.Json;

namespace ImagePipeline.Strategies.InstanceStore.Bundles;

/// <summary>
/// The S3 upload policy BundleInstance hands to EC2: it lets EC2 write exactly this bucket, only keys that start with
/// the bundle prefix, with the ec2-bundle-read ACL, until it expires.
/// </summary>
public static class BundleUploadPolicy
{
    public const string Acl = "ec2-bundle-read";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    public static string Create(string bucket, string prefix, DateTimeOffset now)
    {
        var policy = new Dictionary<string, object>
        {
            ["expiration"] = (now + Lifetime).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["conditions"] = new object[]
            {
                new Dictionary<string, string> { ["bucket"] = bucket },
                new[] { "starts-with", "$key", prefix },
                new Dictionary<string, string> { ["acl"] = Acl },
            },
        };
        return JsonSerializer.Serialize(policy);
    }
}
