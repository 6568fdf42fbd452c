using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace ImagePipeline.LocalCloud.Tests;

public sealed class S3BucketTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task A_bucket_created_in_us_east_1_without_a_location_constraint_reports_an_empty_location()
    {
        using var s3 = cloud.S3();
        var name = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = name });

        var location = await s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = name });

        location.Location.Value.Should().BeNullOrEmpty();
        (await s3.ListBucketsAsync()).Buckets.Should().Contain(b => b.BucketName == name);
    }

    [Fact]
    public async Task A_bucket_created_in_eu_west_1_with_its_constraint_answers_its_location_from_any_region()
    {
        using var s3 = cloud.S3("eu-west-1");
        var name = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = name, BucketRegionName = "eu-west-1" });

        using var fromVirginia = cloud.S3("us-east-1");
        var location = await fromVirginia.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = name });

        location.Location.Value.Should().Be("eu-west-1");
    }

    [Fact]
    public async Task Creating_a_bucket_outside_us_east_1_without_a_location_constraint_is_an_illegal_location_constraint()
    {
        using var s3 = cloud.S3("eu-west-1");

        var act = () => s3.PutBucketAsync(new PutBucketRequest { BucketName = LocalCloudFixture.UniqueBucket() });

        var error = (await act.Should().ThrowAsync<AmazonS3Exception>()).Which;
        error.ErrorCode.Should().Be("IllegalLocationConstraintException");
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Creating_a_bucket_with_a_constraint_for_another_region_than_the_signing_region_is_refused()
    {
        using var s3 = cloud.S3("eu-west-1");

        var act = () => s3.PutBucketAsync(new PutBucketRequest { BucketName = LocalCloudFixture.UniqueBucket(), BucketRegionName = "us-west-2" });

        (await act.Should().ThrowAsync<AmazonS3Exception>()).Which.ErrorCode.Should().Be("IllegalLocationConstraintException");
    }

    [Theory]
    [InlineData("UPPERCASE-bucket")]
    [InlineData("ab")]
    [InlineData("bucket_with_underscore")]
    [InlineData("192.168.1.1")]
    [InlineData("double..dot")]
    public async Task A_bucket_name_breaking_the_naming_rules_is_an_invalid_bucket_name(string name)
    {
        using var s3 = cloud.S3();

        var act = () => s3.PutBucketAsync(new PutBucketRequest { BucketName = name });

        var error = (await act.Should().ThrowAsync<AmazonS3Exception>()).Which;
        error.ErrorCode.Should().Be("InvalidBucketName");
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Creating_your_own_bucket_again_outside_us_east_1_is_bucket_already_owned_by_you()
    {
        using var s3 = cloud.S3("eu-west-1");
        var name = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = name, BucketRegionName = "eu-west-1" });

        var act = () => s3.PutBucketAsync(new PutBucketRequest { BucketName = name, BucketRegionName = "eu-west-1" });

        var error = (await act.Should().ThrowAsync<AmazonS3Exception>()).Which;
        error.ErrorCode.Should().Be("BucketAlreadyOwnedByYou");
        error.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Creating_a_bucket_another_account_owns_is_bucket_already_exists()
    {
        var name = LocalCloudFixture.UniqueBucket();
        cloud.Server.SeedBucket(name, "us-east-1", LocalCloudAccounts.OtherAccountId);
        using var s3 = cloud.S3();

        var act = () => s3.PutBucketAsync(new PutBucketRequest { BucketName = name });

        var error = (await act.Should().ThrowAsync<AmazonS3Exception>()).Which;
        error.ErrorCode.Should().Be("BucketAlreadyExists");
        error.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_bucket_owned_by_another_account_answers_access_denied()
    {
        var name = LocalCloudFixture.UniqueBucket();
        cloud.Server.SeedBucket(name, "us-east-1", LocalCloudAccounts.OtherAccountId);
        using var s3 = cloud.S3();

        var act = () => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = name });

        var error = (await act.Should().ThrowAsync<AmazonS3Exception>()).Which;
        error.ErrorCode.Should().Be("AccessDenied");
        error.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_expected_bucket_owner_that_does_not_match_answers_access_denied()
    {
        using var s3 = cloud.S3();
        var name = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = name });

        var act = () => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = name, ExpectedBucketOwner = LocalCloudAccounts.OtherAccountId });

        (await act.Should().ThrowAsync<AmazonS3Exception>()).Which.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_request_to_a_bucket_signed_for_another_region_is_a_permanent_redirect_naming_the_bucket_region()
    {
        var name = LocalCloudFixture.UniqueBucket();
        cloud.Server.SeedBucket(name, "eu-west-1");
        using var s3 = cloud.S3("us-east-1");

        var act = () => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = name });

        var error = (await act.Should().ThrowAsync<AmazonS3Exception>()).Which;
        error.ErrorCode.Should().Be("PermanentRedirect");
        error.StatusCode.Should().Be(HttpStatusCode.MovedPermanently);
    }

    [Fact]
    public async Task A_missing_bucket_is_no_such_bucket()
    {
        using var s3 = cloud.S3();

        var act = () => s3.GetObjectAsync(LocalCloudFixture.UniqueBucket(), "key");

        var error = (await act.Should().ThrowAsync<AmazonS3Exception>()).Which;
        error.ErrorCode.Should().Be("NoSuchBucket");
        error.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Head_bucket_succeeds_for_the_owner_in_its_region()
    {
        using var s3 = cloud.S3();
        var name = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = name });

        var act = () => s3.HeadBucketAsync(new HeadBucketRequest { BucketName = name });

        await act.Should().NotThrowAsync();
    }

    [Fact]
    public async Task Deleting_a_bucket_that_still_holds_objects_is_bucket_not_empty()
    {
        using var s3 = cloud.S3();
        var name = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = name });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = name, Key = "k", ContentBody = "x" });

        var act = () => s3.DeleteBucketAsync(name);

        var error = (await act.Should().ThrowAsync<AmazonS3Exception>()).Which;
        error.ErrorCode.Should().Be("BucketNotEmpty");
        error.StatusCode.Should().Be(HttpStatusCode.Conflict);
        await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = name, Objects = [new KeyVersion { Key = "k" }] });
        await s3.DeleteBucketAsync(name);
        (await s3.ListBucketsAsync()).Buckets?.Should().NotContain(b => b.BucketName == name);
    }

    [Fact]
    public async Task Public_access_block_and_encryption_are_on_by_default_and_can_be_replaced()
    {
        using var s3 = cloud.S3();
        var name = LocalCloudFixture.UniqueBucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = name });

        var block = await s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = name });
        block.PublicAccessBlockConfiguration.BlockPublicAcls.Should().BeTrue();
        var encryption = await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = name });
        encryption.ServerSideEncryptionConfiguration.ServerSideEncryptionRules[0].ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm.Value.Should().Be("AES256");

        await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = name,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration { BlockPublicAcls = false, IgnorePublicAcls = false, BlockPublicPolicy = true, RestrictPublicBuckets = true },
        });
        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = name,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules = [new ServerSideEncryptionRule { ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = "alias/pipeline" } }],
            },
        });

        (await s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = name })).PublicAccessBlockConfiguration.BlockPublicAcls.Should().BeFalse();
        var rule = (await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = name })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules[0];
        rule.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm.Value.Should().Be("aws:kms");
        rule.ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId.Should().Be("alias/pipeline");
    }
}
