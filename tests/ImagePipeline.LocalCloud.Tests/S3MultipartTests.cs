using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace ImagePipeline.LocalCloud.Tests;

public sealed class S3MultipartTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const int FiveMiB = 5 * 1024 * 1024;

    [Fact]
    public async Task A_multipart_upload_assembles_the_parts_and_answers_the_md5_of_md5s_etag()
    {
        using var s3 = cloud.S3();
        var bucket = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var part1 = RandomNumberGenerator.GetBytes(FiveMiB);
        var part2 = RandomNumberGenerator.GetBytes(1000);

        var init = await s3.InitiateMultipartUploadAsync(bucket, "big.img");
        var r1 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "big.img", UploadId = init.UploadId, PartNumber = 1, InputStream = new MemoryStream(part1) });
        var r2 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "big.img", UploadId = init.UploadId, PartNumber = 2, InputStream = new MemoryStream(part2) });
        var parts = await s3.ListPartsAsync(bucket, "big.img", init.UploadId);
        var done = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "big.img",
            UploadId = init.UploadId,
            PartETags = [new PartETag(1, r1.ETag), new PartETag(2, r2.ETag)],
        });

        parts.Parts.Select(p => p.PartNumber).Should().Equal(1, 2);
        var expected = Convert.ToHexStringLower(MD5.HashData([.. MD5.HashData(part1), .. MD5.HashData(part2)]));
        done.ETag.Should().Be($"\"{expected}-2\"");
        cloud.Server.ReadObject(bucket, "big.img").Should().Equal([.. part1, .. part2]);
        using var second = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "big.img", PartNumber = 2 });
        using var secondBytes = new MemoryStream();
        await second.ResponseStream.CopyToAsync(secondBytes);
        secondBytes.ToArray().Should().Equal(part2);
        second.PartsCount.Should().Be(2);
        var beyond = () => s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "big.img", PartNumber = 3 });
        (await beyond.Should().ThrowAsync<AmazonS3Exception>()).Which.ErrorCode.Should().Be("InvalidPartNumber");
    }

    [Fact]
    public async Task Completing_with_a_part_smaller_than_5_mib_that_is_not_the_last_is_entity_too_small()
    {
        using var s3 = cloud.S3();
        var bucket = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var init = await s3.InitiateMultipartUploadAsync(bucket, "small");
        var r1 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "small", UploadId = init.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[100]) });
        var r2 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "small", UploadId = init.UploadId, PartNumber = 2, InputStream = new MemoryStream(new byte[100]) });

        var act = () => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "small",
            UploadId = init.UploadId,
            PartETags = [new PartETag(1, r1.ETag), new PartETag(2, r2.ETag)],
        });

        var error = (await act.Should().ThrowAsync<AmazonS3Exception>()).Which;
        error.ErrorCode.Should().Be("EntityTooSmall");
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_aborted_upload_is_gone_and_answers_no_such_upload()
    {
        using var s3 = cloud.S3();
        var bucket = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var init = await s3.InitiateMultipartUploadAsync(bucket, "aborted");

        await s3.AbortMultipartUploadAsync(bucket, "aborted", init.UploadId);
        var act = () => s3.ListPartsAsync(bucket, "aborted", init.UploadId);

        var error = (await act.Should().ThrowAsync<AmazonS3Exception>()).Which;
        error.ErrorCode.Should().Be("NoSuchUpload");
        error.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Completing_with_a_wrong_part_etag_is_invalid_part()
    {
        using var s3 = cloud.S3();
        var bucket = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var init = await s3.InitiateMultipartUploadAsync(bucket, "k");
        await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "k", UploadId = init.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[10]) });

        var act = () => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "k",
            UploadId = init.UploadId,
            PartETags = [new PartETag(1, "\"00000000000000000000000000000000\"")],
        });

        (await act.Should().ThrowAsync<AmazonS3Exception>()).Which.ErrorCode.Should().Be("InvalidPart");
    }
}
