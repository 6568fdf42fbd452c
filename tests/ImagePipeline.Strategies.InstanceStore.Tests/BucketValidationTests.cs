using ImagePipeline.Abstractions;
using ImagePipeline.Core.Sessions;
using ImagePipeline.LocalCloud;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

[Collection(LocalCloudCollection.Name)]
public sealed class BucketValidationTests(InstanceStoreCloudFixture cloud)
{
    [Fact]
    public async Task A_bucket_in_another_region_is_refused_before_anything_is_created()
    {
        await using var bake = new Bake(cloud);
        cloud.Server.SeedBucket(bake.Bucket, "eu-west-1");
        var imagesBefore = cloud.LiveImages().Count;

        var run = () => bake.RunAsync(bake.LinuxParameters(bake.SmallImage()));

        var error = (await run.Should().ThrowAsync<ValidationFailedException>()).Which;
        error.Kind.Should().Be(PipelineErrorKind.Input);
        error.Errors.Should().ContainSingle(message => message.Contains("is in eu-west-1 but the run builds in us-east-1", StringComparison.Ordinal) && message.Contains("--region eu-west-1", StringComparison.Ordinal));
        bake.ObjectKeys.Should().BeEmpty();
        cloud.LiveImages().Should().HaveCount(imagesBefore);
        Directory.Exists(bake.Harness.RunsDirectory).Should().BeFalse("no run was started");
    }

    [Fact]
    public async Task A_bucket_of_another_account_is_refused_before_anything_is_created()
    {
        await using var bake = new Bake(cloud);
        cloud.Server.SeedBucket(bake.Bucket, "us-east-1", LocalCloudAccounts.OtherAccountId);

        var run = () => bake.RunAsync(bake.LinuxParameters(bake.SmallImage()));

        var error = (await run.Should().ThrowAsync<ValidationFailedException>()).Which;
        error.Errors.Should().ContainSingle(message => message.Contains("belongs to another AWS account", StringComparison.Ordinal));
        cloud.State.Buckets[bake.Bucket].Objects.Should().BeEmpty();
        Directory.Exists(bake.Harness.RunsDirectory).Should().BeFalse();
    }

    [Fact]
    public async Task A_bucket_with_ACLs_disabled_is_refused_because_EC2_could_not_read_the_parts()
    {
        await using var bake = new Bake(cloud);
        cloud.Server.SeedBucket(bake.Bucket, "us-east-1");

        var run = () => bake.RunAsync(bake.LinuxParameters(bake.SmallImage()));

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors
            .Should().ContainSingle(message => message.Contains("BucketOwnerEnforced", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Upper-Case")]
    [InlineData("ab")]
    [InlineData("my..bucket")]
    [InlineData("192.168.1.1")]
    [InlineData("xn--bucket")]
    public async Task An_invalid_bucket_name_is_refused_before_any_call(string name)
    {
        await using var bake = new Bake(cloud);
        var parameters = bake.LinuxParameters(bake.SmallImage());
        parameters["bucket"] = name;

        var run = () => bake.RunAsync(parameters);

        (await run.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain($"--bucket '{name}'");
    }

    [Fact]
    public async Task Every_missing_input_is_reported_at_once()
    {
        await using var bake = new Bake(cloud);

        var run = () => bake.RunAsync(new Dictionary<string, string>(StringComparer.Ordinal));

        var errors = (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors;
        errors.Should().Contain(message => message.StartsWith("--bucket is required", StringComparison.Ordinal));
        errors.Should().Contain(message => message.StartsWith("--x509-cert-path is required", StringComparison.Ordinal));
        errors.Should().Contain(message => message.StartsWith("--image-file is required", StringComparison.Ordinal));
        errors.Should().Contain(message => message.StartsWith("--ec2-cert-path is required", StringComparison.Ordinal));
        errors.Should().Contain(message => message.StartsWith("--ami-name is required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_key_file_itself_is_refused_as_the_image_to_bundle()
    {
        await using var bake = new Bake(cloud);

        var run = () => bake.RunAsync(bake.LinuxParameters(bake.Keys.KeyPath));

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors
            .Should().Contain(message => message.Contains("is one of the certificate or key files", StringComparison.Ordinal));
    }
}
