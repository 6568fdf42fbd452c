using ImagePipeline.Strategies.InstanceStore.Buckets;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

public sealed class BucketNameRulesTests
{
    [Theory]
    [InlineData("my-bundles")]
    [InlineData("images.example.com")]
    [InlineData("abc")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890123")]
    public void Names_that_follow_S3_rules_are_accepted(string name) => BucketNameRules.Validate(name).Should().BeNull();

    [Theory]
    [InlineData("a2345678901234567890123456789012345678901234567890123456789012345", "3 to 63")]
    [InlineData("bucket_name", "lowercase letters, digits, dots and hyphens")]
    [InlineData("-bucket", "begin and end")]
    [InlineData("bucket.-name", "dot next to a hyphen")]
    [InlineData("sthree-bucket", "'sthree-'")]
    [InlineData("bucket-s3alias", "'-s3alias'")]
    public void Names_that_break_a_rule_say_which(string name, string rule) => BucketNameRules.Validate(name).Should().Contain(rule);
}
