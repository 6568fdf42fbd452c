using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

namespace ImagePipeline.LocalCloud.Tests;

public sealed class S3ObjectTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private async Task<string> NewBucketAsync(AmazonS3Client s3, ObjectOwnership? ownership = null)
    {
        var name = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = name, ObjectOwnership = ownership });
        return name;
    }

    [Fact]
    public async Task An_object_put_with_a_correct_md5_reads_back_with_its_etag_length_metadata_and_type()
    {
        using var s3 = cloud.S3();
        var bucket = await NewBucketAsync(s3);
        var body = Encoding.UTF8.GetBytes("hello local cloud");
        var md5 = MD5.HashData(body);

        var put = await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "dir/hello.txt",
            InputStream = new MemoryStream(body),
            MD5Digest = Convert.ToBase64String(md5),
            ContentType = "text/plain",
            Metadata = { ["purpose"] = "test" },
        });
        using var get = await s3.GetObjectAsync(bucket, "dir/hello.txt");
        using var reader = new StreamReader(get.ResponseStream);

        put.ETag.Should().Be($"\"{Convert.ToHexStringLower(md5)}\"");
        get.ETag.Should().Be(put.ETag);
        get.ContentLength.Should().Be(body.Length);
        get.Headers.ContentType.Should().Be("text/plain");
        get.Metadata["x-amz-meta-purpose"].Should().Be("test");
        (await reader.ReadToEndAsync()).Should().Be("hello local cloud");
    }

    [Fact]
    public async Task An_object_put_with_a_wrong_md5_is_a_bad_digest_and_is_not_stored()
    {
        using var s3 = cloud.S3();
        var bucket = await NewBucketAsync(s3);

        var act = () => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "bad",
            ContentBody = "the real body",
            MD5Digest = Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes("another body"))),
        });

        var error = (await act.Should().ThrowAsync<AmazonS3Exception>()).Which;
        error.ErrorCode.Should().Be("BadDigest");
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        cloud.Server.ReadObject(bucket, "bad").Should().BeNull();
    }

    [Fact]
    public async Task An_object_put_with_a_content_md5_that_is_not_an_md5_is_an_invalid_digest()
    {
        using var s3 = cloud.S3();
        var bucket = await NewBucketAsync(s3);

        var act = () => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "bad", ContentBody = "x", MD5Digest = "bm90LWFuLW1kNQ==" });

        (await act.Should().ThrowAsync<AmazonS3Exception>()).Which.ErrorCode.Should().Be("InvalidDigest");
    }

    [Fact]
    public async Task An_upload_with_the_sdk_defaults_uses_aws_chunked_encoding_with_a_checksum_trailer_and_is_decoded()
    {
        using var s3 = cloud.S3(configure: c =>
        {
            c.RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_SUPPORTED;
            c.ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_SUPPORTED;
        });
        var bucket = await NewBucketAsync(s3);
        var body = RandomNumberGenerator.GetBytes(300_000);

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "chunked.bin", InputStream = new MemoryStream(body), UseChunkEncoding = true });

        cloud.Server.ReadObject(bucket, "chunked.bin").Should().Equal(body);
        using var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "chunked.bin", ChecksumMode = ChecksumMode.ENABLED });
        using var copy = new MemoryStream();
        await get.ResponseStream.CopyToAsync(copy);
        copy.ToArray().Should().Equal(body);
    }

    [Fact]
    public async Task An_upload_with_signed_aws_chunked_encoding_and_no_checksum_is_decoded()
    {
        using var s3 = cloud.S3();
        var bucket = await NewBucketAsync(s3);
        var body = RandomNumberGenerator.GetBytes(200_000);

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "signed-chunks.bin", InputStream = new MemoryStream(body), UseChunkEncoding = true });

        cloud.Server.ReadObject(bucket, "signed-chunks.bin").Should().Equal(body);
    }

    [Fact]
    public async Task A_range_request_answers_206_with_just_those_bytes()
    {
        using var s3 = cloud.S3();
        var bucket = await NewBucketAsync(s3);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "range", ContentBody = "0123456789" });

        using var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "range", ByteRange = new ByteRange(2, 5) });
        using var reader = new StreamReader(get.ResponseStream);

        get.HttpStatusCode.Should().Be(HttpStatusCode.PartialContent);
        get.ContentRange.Should().Be("bytes 2-5/10");
        (await reader.ReadToEndAsync()).Should().Be("2345");
    }

    [Fact]
    public async Task A_range_beyond_the_object_is_invalid_range()
    {
        using var s3 = cloud.S3();
        var bucket = await NewBucketAsync(s3);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "short", ContentBody = "abc" });

        var act = () => s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "short", ByteRange = new ByteRange(10, 20) });

        var error = (await act.Should().ThrowAsync<AmazonS3Exception>()).Which;
        error.ErrorCode.Should().Be("InvalidRange");
        error.StatusCode.Should().Be(HttpStatusCode.RequestedRangeNotSatisfiable);
    }

    [Fact]
    public async Task Head_object_tells_size_and_etag_and_a_missing_key_is_not_found()
    {
        using var s3 = cloud.S3();
        var bucket = await NewBucketAsync(s3);
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "head", ContentBody = "12345" });

        var head = await s3.GetObjectMetadataAsync(bucket, "head");
        var missing = () => s3.GetObjectMetadataAsync(bucket, "nope");
        var missingGet = () => s3.GetObjectAsync(bucket, "nope");

        head.ContentLength.Should().Be(5);
        head.ETag.Should().Be(put.ETag);
        head.LastModified.Should().NotBeNull();
        (await missing.Should().ThrowAsync<AmazonS3Exception>()).Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await missingGet.Should().ThrowAsync<AmazonS3Exception>()).Which.ErrorCode.Should().Be("NoSuchKey");
    }

    [Fact]
    public async Task List_objects_v2_pages_with_continuation_tokens_and_groups_common_prefixes()
    {
        using var s3 = cloud.S3();
        var bucket = await NewBucketAsync(s3);
        foreach (var key in new[] { "a/1", "a/2", "b/1", "c", "d", "e" })
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = key });
        }

        var first = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/", MaxKeys = 3 });
        var second = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/", MaxKeys = 3, ContinuationToken = first.NextContinuationToken });
        var prefixed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "a/" });

        first.IsTruncated.Should().BeTrue();
        first.CommonPrefixes.Should().Equal("a/", "b/");
        first.S3Objects.Select(o => o.Key).Should().Equal("c");
        second.IsTruncated.Should().BeFalse();
        second.S3Objects.Select(o => o.Key).Should().Equal("d", "e");
        prefixed.S3Objects.Select(o => o.Key).Should().Equal("a/1", "a/2");
        prefixed.KeyCount.Should().Be(2);
    }

    [Fact]
    public async Task A_key_with_spaces_and_plus_signs_round_trips_through_put_and_list()
    {
        using var s3 = cloud.S3();
        var bucket = await NewBucketAsync(s3);
        const string key = "images/my image+v1 (final)/part.0";

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "x" });
        var list = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });

        list.S3Objects.Select(o => o.Key).Should().Equal(key);
        cloud.Server.ReadObject(bucket, key).Should().NotBeNull();
    }

    [Fact]
    public async Task Delete_objects_removes_every_key_named()
    {
        using var s3 = cloud.S3();
        var bucket = await NewBucketAsync(s3);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "x", ContentBody = "1" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "y", ContentBody = "2" });

        var result = await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = [new KeyVersion { Key = "x" }, new KeyVersion { Key = "y" }] });

        result.DeletedObjects.Select(d => d.Key).Should().BeEquivalentTo("x", "y");
        (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects.Should().BeNullOrEmpty();
    }

    [Fact]
    public async Task A_canned_acl_on_a_bucket_with_acls_disabled_is_access_control_list_not_supported()
    {
        using var s3 = cloud.S3();
        var bucket = await NewBucketAsync(s3);

        var act = () => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x", CannedACL = S3CannedACL.AWSExecRead });

        var error = (await act.Should().ThrowAsync<AmazonS3Exception>()).Which;
        error.ErrorCode.Should().Be("AccessControlListNotSupported");
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_aws_exec_read_acl_on_a_bucket_with_acls_enabled_grants_ec2_read_access()
    {
        using var s3 = cloud.S3();
        var bucket = await NewBucketAsync(s3, ObjectOwnership.ObjectWriter);

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "bundle.part.0", ContentBody = "x", CannedACL = S3CannedACL.AWSExecRead });
        var acl = await s3.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "bundle.part.0" });

        acl.Grants.Should().Contain(g => g.Permission == S3Permission.READ && g.Grantee.DisplayName == "za-team");
        acl.Grants.Should().Contain(g => g.Permission == S3Permission.FULL_CONTROL);
    }

    [Fact]
    public async Task A_public_read_acl_is_refused_while_block_public_acls_is_on()
    {
        using var s3 = cloud.S3();
        var bucket = await NewBucketAsync(s3, ObjectOwnership.ObjectWriter);

        var act = () => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x", CannedACL = S3CannedACL.PublicRead });

        (await act.Should().ThrowAsync<AmazonS3Exception>()).Which.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Parallel_uploads_to_one_bucket_all_land_intact()
    {
        using var s3 = cloud.S3();
        var bucket = await NewBucketAsync(s3);
        var bodies = Enumerable.Range(0, 24).Select(i => RandomNumberGenerator.GetBytes(10_000 + i)).ToList();

        await Task.WhenAll(bodies.Select((body, i) => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"p/{i:D2}", InputStream = new MemoryStream(body) })));
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "p/" });

        listed.KeyCount.Should().Be(24);
        for (var i = 0; i < bodies.Count; i++)
        {
            cloud.Server.ReadObject(bucket, $"p/{i:D2}").Should().Equal(bodies[i]);
        }
    }

    [Fact]
    public async Task Head_object_on_a_bucket_in_another_region_is_a_301_with_the_bucket_region()
    {
        var bucket = LocalCloudFixture.UniqueBucket();
        cloud.Server.SeedBucket(bucket, "eu-central-1");
        cloud.Server.SeedObject(bucket, "k", "x"u8);
        using var s3 = cloud.S3("us-east-1");

        var act = () => s3.GetObjectMetadataAsync(bucket, "k");

        (await act.Should().ThrowAsync<AmazonS3Exception>()).Which.StatusCode.Should().Be(HttpStatusCode.MovedPermanently);
    }

    [Fact]
    public async Task Objects_take_the_kms_encryption_asked_for_or_the_bucket_default()
    {
        using var s3 = cloud.S3();
        var bucket = await NewBucketAsync(s3);

        var kms = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "kms", ContentBody = "x", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = "alias/images" });
        var plain = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "plain", ContentBody = "x" });
        var head = await s3.GetObjectMetadataAsync(bucket, "kms");

        kms.ServerSideEncryptionMethod.Should().Be(ServerSideEncryptionMethod.AWSKMS);
        head.ServerSideEncryptionKeyManagementServiceKeyId.Should().Be("alias/images");
        plain.ServerSideEncryptionMethod.Should().Be(ServerSideEncryptionMethod.AES256);
    }

    [Fact]
    public async Task A_put_with_if_none_match_star_does_not_overwrite_an_existing_object()
    {
        using var s3 = cloud.S3();
        var bucket = await NewBucketAsync(s3);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "once", ContentBody = "first" });

        var act = () => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "once", ContentBody = "second", IfNoneMatch = "*" });

        (await act.Should().ThrowAsync<AmazonS3Exception>()).Which.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        cloud.Server.ReadObject(bucket, "once").Should().Equal(Encoding.UTF8.GetBytes("first"));
    }
}
