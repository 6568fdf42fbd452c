using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.S3;
using Amazon.S3.Model;

namespace ImagePipeline.LocalCloud.Tests;

/// <summary>
/// Operations the local cloud does not emulate (nothing in the pipeline makes them; see its README) are refused, so a
/// caller that starts using one finds out at once instead of getting a made-up success.
/// </summary>
public sealed class UnemulatedOperationTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task An_ec2_action_that_is_not_emulated_is_refused_as_an_invalid_action()
    {
        using var ec2 = cloud.Ec2();

        var reboot = () => ec2.RebootInstancesAsync(new RebootInstancesRequest { InstanceIds = [LocalCloudSeedIds.LinuxEbsInstanceId] });

        (await reboot.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidAction");
    }

    [Fact]
    public async Task A_multipart_upload_is_refused_as_not_implemented_and_leaves_no_object()
    {
        using var s3 = cloud.S3();
        var bucket = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(bucket);

        var start = () => s3.InitiateMultipartUploadAsync(bucket, "k");

        var error = (await start.Should().ThrowAsync<AmazonS3Exception>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.NotImplemented);
        (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects.Should().BeNullOrEmpty();
    }

    [Fact]
    public async Task Deleting_one_object_by_its_own_request_is_refused_and_the_object_stays()
    {
        using var s3 = cloud.S3();
        var bucket = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x" });

        var delete = () => s3.DeleteObjectAsync(bucket, "k");

        (await delete.Should().ThrowAsync<AmazonS3Exception>()).Which.StatusCode.Should().Be(HttpStatusCode.NotImplemented);
        (await s3.GetObjectMetadataAsync(bucket, "k")).ContentLength.Should().Be(1);
    }
}
