using ImagePipeline.Strategies.InstanceStore.Bundles;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

public sealed class BundleUploadPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 21, 5, 9, TimeSpan.Zero);

    [Fact]
    public void The_upload_policy_allows_exactly_the_bucket_the_prefix_and_the_bundle_ACL()
    {
        var policy = System.Text.Json.JsonDocument.Parse(BundleUploadPolicy.Create("my-bucket", "image-1", Now)).RootElement;

        policy.GetProperty("expiration").GetString().Should().Be("2026-11-27T09:05:09Z");
        policy.GetProperty("conditions").GetRawText().Should().Be("""[{"bucket":"my-bucket"},["starts-with","$key","image-1"],{"acl":"ec2-bundle-read"}]""");
    }
}
