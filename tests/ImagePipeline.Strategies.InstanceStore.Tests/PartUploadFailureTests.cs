using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>
/// A part of a local image uploaded while bundling that S3 refuses for good (the bucket is gone) stops BundleVolume at
/// once with that error; a passing failure (a 500) leaves the part to UploadBundle. The live volume's case is in
/// BuiltinBundlerOverSshTests.UploadFailure.cs.
/// </summary>
[Collection(LocalCloudCollection.Name)]
public sealed class PartUploadFailureTests(InstanceStoreCloudFixture cloud)
{
    [Fact]
    public async Task A_bucket_gone_while_a_local_image_is_bundled_stops_BundleVolume_at_once_with_NoSuchBucket()
    {
        await using var bake = new Bake(cloud, new BucketDeletedAfterPrepareBucketPlugin());
        var image = LargeImage(bake);
        var parameters = bake.LinuxParameters(image);
        parameters["upload-concurrency"] = "1";

        var result = await bake.RunAsync(parameters, "UploadBundle");

        result.Failure.Should().NotBeNull();
        result.Failure!.ToString().Should().Contain("NoSuchBucket");
        result.Targets.Single(target => target.Target == PipelineTarget.BundleVolume).Status.Should().Be(TargetStatus.Failed);
        bake.Harness.Logs.Text.Should().Contain("failed for good").And.Contain("bundling stops");
        var bundled = bake.Harness.Progress.Reports.Where(report => report.Activity.StartsWith("Bundling", StringComparison.Ordinal)).ToArray();
        bundled.Max(report => report.Completed).Should().BeLessThan(new FileInfo(image).Length, "bundling stopped before the end of the image");
        result.CleanupFailures.Should().BeEmpty();
    }

    [Fact]
    public async Task A_part_that_fails_with_a_500_while_bundling_is_left_to_UploadBundle_and_the_bake_succeeds()
    {
        await using var bake = new Bake(cloud);
        var parameters = bake.LinuxParameters(LargeImage(bake));
        parameters["upload-attempts"] = "1";
        parameters["upload-concurrency"] = "1";
        cloud.Server.Faults.Clear();
        try
        {
            cloud.Server.Faults.Add(new FaultRule { Service = "s3", Operation = "PutObject", Kind = FaultKind.InternalError, MaxInjections = 1 });

            var result = await bake.RunAsync(parameters);

            result.Failure.Should().BeNull(bake.Harness.Logs.Text);
            cloud.Server.Faults.Injections.Should().ContainSingle();
            bake.Harness.Logs.Text.Should().Contain("UploadBundle sends it again").And.NotContain("failed for good");
            bake.LiveImagesNamed().Should().ContainSingle();
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }
    }

    /// <summary>60 MiB of random data: six parts, bundled for long enough that a failed first part lands mid-way.</summary>
    private static string LargeImage(Bake bake) =>
        TestImages.WriteSparse(Path.Combine(bake.Directory, "large.img"), 64 * TestImages.MiB, (0, 60 * TestImages.MiB));
}
