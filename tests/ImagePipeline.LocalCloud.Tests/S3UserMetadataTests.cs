using Amazon.S3;
using Amazon.S3.Model;

namespace ImagePipeline.LocalCloud.Tests;

/// <summary>User metadata (x-amz-meta-*), which runs use to prove an object is theirs: stored and returned as S3 does.</summary>
public sealed class S3UserMetadataTests : IAsyncLifetime
{
    private readonly LocalCloudFixture _cloud = new();

    public static TheoryData<string> Reads => new() { "HEAD", "GET" };

    public Task InitializeAsync() => _cloud.InitializeAsync();

    public Task DisposeAsync() => _cloud.DisposeAsync();

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Metadata_given_on_upload_comes_back_with_lower_cased_names(string read)
    {
        using var s3 = _cloud.S3();
        var bucket = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(bucket);
        var put = new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "body" };
        put.Metadata.Add("ImagePipeline-Run-Id", "20261126-213000-a1b2c3");
        await s3.PutObjectAsync(put);

        MetadataCollection metadata;
        if (read == "HEAD")
        {
            metadata = (await s3.GetObjectMetadataAsync(bucket, "k")).Metadata;
        }
        else
        {
            using var get = await s3.GetObjectAsync(bucket, "k");
            metadata = get.Metadata;
        }

        metadata.Keys.Should().Equal("x-amz-meta-imagepipeline-run-id");
        metadata["imagepipeline-run-id"].Should().Be("20261126-213000-a1b2c3");
    }

    [Theory]
    [InlineData(2048, true)]
    [InlineData(2049, false)]
    public async Task More_than_2_KB_of_metadata_is_refused_as_S3_refuses_it(int bytes, bool accepted)
    {
        using var s3 = _cloud.S3();
        var bucket = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(bucket);
        var put = new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "body" };
        put.Metadata.Add("big", new string('x', bytes - "big".Length));

        var act = () => s3.PutObjectAsync(put);

        if (accepted)
        {
            await act.Should().NotThrowAsync();
        }
        else
        {
            (await act.Should().ThrowAsync<AmazonS3Exception>()).Which.ErrorCode.Should().Be("MetadataTooLarge");
        }
    }
}
