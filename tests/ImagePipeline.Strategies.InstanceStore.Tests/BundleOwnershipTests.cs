using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.Core.Sessions;
using ImagePipeline.LocalCloud;
using ImagePipeline.Strategies.InstanceStore.Uploads;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>Issue 12, item 3: a run never writes over, nor deletes, S3 objects it did not create.</summary>
[Collection(LocalCloudCollection.Name)]
public sealed class BundleOwnershipTests(InstanceStoreCloudFixture cloud)
{
    private const string OurRun = "20261126-213000-aaaaaa";
    private const string OtherRun = "20261126-213000-bbbbbb";

    public static TheoryData<string?, bool, bool> Owners => new()
    {
        // run id in the object's metadata, objects without one count as ours, deleted
        { OurRun, false, true },
        { OtherRun, false, false },
        { null, false, false },
        { OurRun, true, true },
        { OtherRun, true, false },
        { null, true, true },
    };

    [Theory]
    [MemberData(nameof(Owners))]
    public async Task Cleanup_deletes_an_object_only_when_it_carries_this_runs_id(string? madeBy, bool unmarkedAreOurs, bool deleted)
    {
        await using var bake = new Bake(cloud);
        using var s3 = S3Client();
        await s3.PutBucketAsync(bake.Bucket);
        var request = new PutObjectRequest { BucketName = bake.Bucket, Key = "bundle/bundle.part.0", ContentBody = "part" };
        if (madeBy is not null)
        {
            RunObjectOwnership.Mark(request, madeBy);
        }

        await s3.PutObjectAsync(request);

        var count = await UploadedObjects.DeleteOwnAsync(s3, bake.Bucket, ["bundle/bundle.part.0", "bundle/never-uploaded"], OurRun, unmarkedAreOurs, NullLogger.Instance, CancellationToken.None);

        count.Should().Be(deleted ? 1 : 0);
        bake.ObjectKeys.Should().HaveCount(deleted ? 0 : 1);
    }

    [Fact]
    public async Task Every_uploaded_object_carries_the_run_id_in_its_metadata()
    {
        await using var bake = new Bake(cloud);

        var result = await bake.RunAsync(bake.LinuxParameters(bake.SmallImage()));

        result.Outcome.Should().Be(RunOutcome.Succeeded);
        var objects = cloud.State.Buckets[bake.Bucket].Objects.Values;
        objects.Should().HaveCountGreaterThanOrEqualTo(2);
        objects.Should().OnlyContain(record => record.Metadata[RunObjectOwnership.MetadataName] == result.RunId);
    }

    [Fact]
    public async Task Two_runs_without_a_prefix_never_share_a_bundle()
    {
        await using var bake = new Bake(cloud);
        await using var other = new Bake(cloud);
        var first = bake.LinuxParameters(bake.SmallImage());
        var second = new Dictionary<string, string>(first) { ["ami-name"] = other.ImageName };

        var one = await bake.RunAsync(first, "UploadBundle");
        var two = await bake.RunAsync(second, "UploadBundle");

        one.Outcome.Should().Be(RunOutcome.Succeeded);
        two.Outcome.Should().Be(RunOutcome.Succeeded);
        one.Outputs[WellKnownOutputs.ManifestLocation].Should().NotBe(two.Outputs[WellKnownOutputs.ManifestLocation]);
        bake.ObjectKeys.Should().HaveCount(4, "two bundles of one part and one manifest each, neither written over");
    }

    [Fact]
    public async Task A_bundle_prefix_that_holds_another_runs_bundle_is_refused_before_anything_is_uploaded()
    {
        await using var bake = new Bake(cloud);
        var parameters = bake.LinuxParameters(bake.SmallImage());
        parameters["bundle-prefix"] = "shared";
        (await bake.RunAsync(parameters)).Outcome.Should().Be(RunOutcome.Succeeded);
        var before = cloud.State.Buckets[bake.Bucket].Objects.ToDictionary(pair => pair.Key, pair => pair.Value.ETag);

        var again = () => bake.RunAsync(new Dictionary<string, string>(parameters) { ["ami-name"] = bake.ImageName + "-2" });

        (await again.Should().ThrowAsync<ValidationFailedException>())
            .Which.Errors.Should().ContainSingle(error => error.StartsWith("--bundle-prefix 'shared' is taken: s3://", StringComparison.Ordinal));
        cloud.State.Buckets[bake.Bucket].Objects.ToDictionary(pair => pair.Key, pair => pair.Value.ETag).Should().BeEquivalentTo(before);
        bake.LiveImagesNamed().Should().ContainSingle();
    }

    [Fact]
    public async Task Force_deregister_over_a_taken_prefix_registers_the_new_image_first_then_removes_the_old_bundle()
    {
        await using var bake = new Bake(cloud);
        var parameters = bake.LinuxParameters(bake.SmallImage());
        parameters["bundle-prefix"] = "replaced";
        var first = await bake.RunAsync(parameters);
        first.Outcome.Should().Be(RunOutcome.Succeeded);

        var second = await bake.RunAsync(new Dictionary<string, string>(parameters) { ["force-deregister"] = "true" });

        second.Outcome.Should().Be(RunOutcome.Succeeded, second.Failure?.Message);
        var suffix = second.RunId[(second.RunId.LastIndexOf('-') + 1)..];
        bake.LiveImagesNamed().Should().ContainSingle().Which.ImageLocation.Should().Be($"{bake.Bucket}/replaced-{suffix}/replaced-{suffix}.manifest.xml");
        bake.ObjectKeys.Should().OnlyContain(key => key.StartsWith($"replaced-{suffix}/", StringComparison.Ordinal), "the old bundle went once the new image was available");
        bake.Harness.Logs.Lines.Should().Contain(line => line.Contains("Removed the replaced bundle", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_run_leaves_an_object_another_run_put_under_its_keys()
    {
        await using var bake = new Bake(cloud, new FailAfterTargetPlugin(PipelineTarget.UploadBundle));
        var parameters = bake.LinuxParameters(bake.SmallImage());
        parameters["bundle-prefix"] = "raced";
        parameters["upload-attempts"] = "1";
        var failed = await bake.RunAsync(new Dictionary<string, string>(parameters) { ["keep-on-failure"] = "true" });
        failed.Outcome.Should().Be(RunOutcome.Failed);

        // Another run (another run id) writes over one of the keys while this one is stopped.
        using var s3 = S3Client();
        var foreign = new PutObjectRequest { BucketName = bake.Bucket, Key = "raced/raced.part.0", ContentBody = "another run's part" };
        RunObjectOwnership.Mark(foreign, OtherRun);
        await s3.PutObjectAsync(foreign);

        var resumed = await bake.RunAsync(parameters, resume: failed.RunId);

        resumed.Outcome.Should().Be(RunOutcome.Failed);
        bake.ObjectKeys.Should().Equal("raced/raced.part.0");
        cloud.State.Buckets[bake.Bucket].Objects["raced/raced.part.0"].Metadata[RunObjectOwnership.MetadataName].Should().Be(OtherRun);
        bake.Harness.Logs.Lines.Should().Contain(line => line.Contains("Left s3://", StringComparison.Ordinal) && line.Contains(OtherRun, StringComparison.Ordinal));
    }

    private AmazonS3Client S3Client() => new(
        new BasicAWSCredentials(LocalCloudAccounts.AccessKeyId, LocalCloudAccounts.SecretAccessKey),
        new AmazonS3Config { ServiceURL = cloud.Server.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
}
