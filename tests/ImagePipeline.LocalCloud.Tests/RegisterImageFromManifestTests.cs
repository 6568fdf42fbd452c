using System.Text;
using System.Text.RegularExpressions;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using ImagePipeline.LocalCloud.Ec2;

namespace ImagePipeline.LocalCloud.Tests;

public sealed class RegisterImageFromManifestTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string Region = "eu-west-1";

    /// <summary>Uploads a well-formed bundle under <paramref name="prefix"/> with the real S3 client.</summary>
    private async Task<string> UploadBundleAsync(AmazonS3Client s3, string bucket, string prefix, string account = LocalCloudAccounts.AccountId, bool skipLastPart = false)
    {
        var name = prefix.Contains('/', StringComparison.Ordinal) ? prefix[(prefix.LastIndexOf('/') + 1)..] : prefix;
        var directory = prefix[..^name.Length];
        var (manifest, parts) = BundleWriter.Write(name, account, "i-0000000000000a003");
        foreach (var (fileName, content) in skipLastPart ? parts.SkipLast(1) : parts)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = directory + fileName, InputStream = new MemoryStream(content), CannedACL = S3CannedACL.AWSExecRead });
        }

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = prefix + ".manifest.xml", InputStream = new MemoryStream(manifest), CannedACL = S3CannedACL.AWSExecRead });
        return $"{bucket}/{prefix}.manifest.xml";
    }

    /// <summary>Uploads a bundle whose manifest text <paramref name="change"/> rewrote, its parts intact.</summary>
    private async Task<string> UploadChangedBundleAsync(AmazonS3Client s3, string bucket, string name, Func<string, string> change)
    {
        var (manifest, parts) = BundleWriter.Write(name, LocalCloudAccounts.AccountId, "i-0000000000000a003");
        foreach (var (fileName, content) in parts)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = fileName, InputStream = new MemoryStream(content) });
        }

        var changed = change(Encoding.UTF8.GetString(manifest));
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = name + ".manifest.xml", ContentBody = changed });
        return $"{bucket}/{name}.manifest.xml";
    }

    private async Task<string> NewBucketAsync(AmazonS3Client s3, string region)
    {
        var bucket = LocalCloudFixture.UniqueBucket("bundles");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = region, ObjectOwnership = ObjectOwnership.ObjectWriter });
        return bucket;
    }

    [Fact]
    public async Task A_registered_manifest_reads_back_with_its_location_architecture_and_name()
    {
        using var s3 = cloud.S3(Region);
        using var ec2 = cloud.Ec2(Region);
        var bucket = await NewBucketAsync(s3, Region);
        var location = await UploadBundleAsync(s3, bucket, "images/linux-base");
        var name = $"linux-base-{Guid.NewGuid():N}";

        var registered = await ec2.RegisterImageAsync(new RegisterImageRequest { ImageLocation = location, Name = name, Architecture = ArchitectureValues.X86_64, VirtualizationType = "paravirtual" });
        cloud.Clock.Advance(TimeSpan.FromSeconds(31));
        var image = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [registered.ImageId] })).Images.Single();

        image.ImageLocation.Should().Be(location);
        image.Architecture.Should().Be(ArchitectureValues.X86_64);
        image.Name.Should().Be(name);
        image.RootDeviceType.Should().Be(DeviceType.InstanceStore);
        image.State.Should().Be(ImageState.Available);
    }

    [Fact]
    public async Task A_manifest_that_does_not_exist_is_an_invalid_manifest()
    {
        using var s3 = cloud.S3(Region);
        using var ec2 = cloud.Ec2(Region);
        var bucket = await NewBucketAsync(s3, Region);

        var act = () => ec2.RegisterImageAsync(new RegisterImageRequest { ImageLocation = $"{bucket}/nothing.manifest.xml", Name = $"missing-{Guid.NewGuid():N}" });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidManifest");
    }

    [Fact]
    public async Task A_manifest_in_a_bucket_of_another_region_is_an_invalid_manifest()
    {
        using var s3 = cloud.S3("us-west-1");
        using var ec2 = cloud.Ec2(Region);
        var bucket = await NewBucketAsync(s3, "us-west-1");
        var location = await UploadBundleAsync(s3, bucket, "elsewhere");

        var act = () => ec2.RegisterImageAsync(new RegisterImageRequest { ImageLocation = location, Name = $"elsewhere-{Guid.NewGuid():N}" });

        var error = (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        error.ErrorCode.Should().Be("InvalidManifest");
        error.Message.Should().Contain("us-west-1");
    }

    [Fact]
    public async Task A_manifest_that_is_not_xml_is_an_invalid_manifest()
    {
        using var s3 = cloud.S3(Region);
        using var ec2 = cloud.Ec2(Region);
        var bucket = await NewBucketAsync(s3, Region);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "broken.manifest.xml", ContentBody = "<manifest><version>2007-10-10" });

        var act = () => ec2.RegisterImageAsync(new RegisterImageRequest { ImageLocation = $"{bucket}/broken.manifest.xml", Name = $"broken-{Guid.NewGuid():N}" });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidManifest");
    }

    [Fact]
    public async Task A_manifest_of_another_version_is_an_invalid_manifest()
    {
        using var s3 = cloud.S3(Region);
        using var ec2 = cloud.Ec2(Region);
        var bucket = await NewBucketAsync(s3, Region);
        var (manifest, _) = BundleWriter.Write("old", LocalCloudAccounts.AccountId, "i-0000000000000a003");
        var text = Encoding.UTF8.GetString(manifest).Replace("2007-10-10", "2006-01-01", StringComparison.Ordinal);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "old.manifest.xml", ContentBody = text });

        var act = () => ec2.RegisterImageAsync(new RegisterImageRequest { ImageLocation = $"{bucket}/old.manifest.xml", Name = $"old-{Guid.NewGuid():N}" });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidManifest");
    }

    [Fact]
    public async Task A_manifest_whose_parts_are_not_all_uploaded_is_an_invalid_manifest()
    {
        using var s3 = cloud.S3(Region);
        using var ec2 = cloud.Ec2(Region);
        var bucket = await NewBucketAsync(s3, Region);
        var location = await UploadBundleAsync(s3, bucket, "partial", skipLastPart: true);

        var act = () => ec2.RegisterImageAsync(new RegisterImageRequest { ImageLocation = location, Name = $"partial-{Guid.NewGuid():N}" });

        var error = (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        error.ErrorCode.Should().Be("InvalidManifest");
        error.Message.Should().Contain("partial.part.0");
    }

    [Fact]
    public async Task A_manifest_in_a_bucket_the_caller_cannot_read_is_an_invalid_manifest()
    {
        using var otherS3 = cloud.S3(Region, otherAccount: true);
        using var ec2 = cloud.Ec2(Region);
        var bucket = await NewBucketAsync(otherS3, Region);
        var location = await UploadBundleAsync(otherS3, bucket, "foreign", LocalCloudAccounts.OtherAccountId);

        var act = () => ec2.RegisterImageAsync(new RegisterImageRequest { ImageLocation = location, Name = $"foreign-{Guid.NewGuid():N}" });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidManifest");
    }

    [Fact]
    public async Task A_part_whose_content_does_not_match_its_manifest_digest_is_an_invalid_manifest()
    {
        using var s3 = cloud.S3(Region);
        using var ec2 = cloud.Ec2(Region);
        var bucket = await NewBucketAsync(s3, Region);
        var location = await UploadBundleAsync(s3, bucket, "tampered");
        var part0 = cloud.Server.ReadObject(bucket, "tampered.part.0")!;
        part0[0] ^= 0xFF;
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "tampered.part.0", InputStream = new MemoryStream(part0) });

        var act = () => ec2.RegisterImageAsync(new RegisterImageRequest { ImageLocation = location, Name = $"tampered-{Guid.NewGuid():N}" });

        var error = (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        error.ErrorCode.Should().Be("InvalidManifest");
        error.Message.Should().Contain("SHA-1");
    }

    public static TheoryData<string, string, string> MalformedManifests => new()
    {
        { "a DTD declaring an external entity", "<manifest>", "<!DOCTYPE manifest [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]><manifest>" },
        { "a DTD declaring an internal entity", "<manifest>", "<!DOCTYPE manifest [<!ENTITY n \"x\">]><manifest>" },
        { "the root element in a namespace", "<manifest>", "<manifest xmlns=\"urn:other\">" },
        { "the user twice", "<type>", "<user>210987654321</user><type>" },
        { "the image twice", "<signature>", "<image><name>x</name></image><signature>" },
        { "no signature", "<signature>[0-9a-f]+</signature>", "" },
        { "no EC2 copy of the key", "<ec2_encrypted_key algorithm=\"AES-128-CBC\">[0-9a-f]+</ec2_encrypted_key>", "" },
        { "no parts", "<parts count=\"1\">.*</parts>", "" },
        { "no architecture", "<architecture>x86_64</architecture>", "" },
        { "a negative size", "<size>([0-9]+)</size>", "<size>-$1</size>" },
        { "a size with spaces", "<size>([0-9]+)</size>", "<size> $1 </size>" },
        { "a bundled size that is not a number", "<bundled_size>[0-9]+</bundled_size>", "<bundled_size>lots</bundled_size>" },
        { "a part digest that is not hex", "(<filename>[^<]+</filename><digest algorithm=\"SHA1\">)[0-9a-f]{40}", "${1}zz00000000000000000000000000000000000000" },
        { "an image digest of the wrong length", "(<type>machine</type><digest algorithm=\"SHA1\">)[0-9a-f]{40}", "${1}abcd" },
        { "an image digest made with MD5", "<type>machine</type><digest algorithm=\"SHA1\">", "<type>machine</type><digest algorithm=\"MD5\">" },
        { "a key that is not hex", "(<user_encrypted_key algorithm=\"AES-128-CBC\">)[0-9a-f]{4}", "${1}ghij" },
        { "a part named outside the manifest's folder", "<filename>([^<]+)</filename>", "<filename>../elsewhere/$1</filename>" },
        { "a part index that is not a number", "<part index=\"0\">", "<part index=\"zero\">" },
        { "an unknown image type", "<type>machine</type>", "<type>container</type>" },
        { "a user that is not an account id", "<user>123456789012</user>", "<user>1234-5678-9012</user>" },
    };

    [Theory]
    [MemberData(nameof(MalformedManifests))]
    public async Task A_manifest_ec2_could_not_use_is_an_invalid_manifest_and_registers_nothing(string problem, string pattern, string replacement)
    {
        using var s3 = cloud.S3(Region);
        using var ec2 = cloud.Ec2(Region);
        var bucket = await NewBucketAsync(s3, Region);
        var location = await UploadChangedBundleAsync(s3, bucket, "changed", text =>
        {
            var changed = Regex.Replace(text, pattern, replacement, RegexOptions.None, TimeSpan.FromSeconds(1));
            changed.Should().NotBe(text, "the change must apply ({0})", problem);
            return changed;
        });
        var name = $"changed-{Guid.NewGuid():N}";

        var act = () => ec2.RegisterImageAsync(new RegisterImageRequest { ImageLocation = location, Name = name });

        (await act.Should().ThrowAsync<AmazonEC2Exception>(problem)).Which.ErrorCode.Should().Be("InvalidManifest", problem);
        (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"], Filters = [new Amazon.EC2.Model.Filter("name", [name])] })).Images.Should().BeNullOrEmpty(problem);
    }

    [Fact]
    public async Task A_manifest_written_as_the_ami_tools_write_it_with_every_optional_element_registers()
    {
        using var s3 = cloud.S3(Region);
        using var ec2 = cloud.Ec2(Region);
        var bucket = await NewBucketAsync(s3, Region);
        var location = await UploadChangedBundleAsync(s3, bucket, "complete", text => text
            .Replace("</block_device_mapping>", "</block_device_mapping><kernel_id>aki-12345678</kernel_id><ramdisk_id>ari-12345678</ramdisk_id>", StringComparison.Ordinal)
            .Replace("<type>machine</type>", "<type>machine</type><ancestry><ancestor_ami_id>ami-12345678</ancestor_ami_id></ancestry>", StringComparison.Ordinal)
            .Replace("<?xml version='1.0'?>", "<?xml version='1.0'?>\n", StringComparison.Ordinal));

        var registered = await ec2.RegisterImageAsync(new RegisterImageRequest { ImageLocation = location, Name = $"complete-{Guid.NewGuid():N}" });

        registered.ImageId.Should().StartWith("ami-");
    }
}
