using System.Security.Cryptography;
using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;
using Org.BouncyCastle.Crypto.Parameters;

namespace ImagePipeline.LocalCloud.Tests;

public sealed class KeyPairTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string Region = "us-east-2";

    [Fact]
    public async Task Create_key_pair_hands_out_a_2048_bit_rsa_pem_key_whose_fingerprint_is_the_sha1_of_its_pkcs8_form()
    {
        using var ec2 = cloud.Ec2(Region);
        var name = Unique("rsa");

        var created = (await ec2.CreateKeyPairAsync(new CreateKeyPairRequest { KeyName = name })).KeyPair;

        created.KeyMaterial.Should().StartWith("-----BEGIN RSA PRIVATE KEY-----");
        using var rsa = RSA.Create();
        rsa.ImportFromPem(created.KeyMaterial);
        rsa.KeySize.Should().Be(2048);
        created.KeyFingerprint.Should().Be(string.Join(':', SHA1.HashData(rsa.ExportPkcs8PrivateKey()).Select(b => b.ToString("x2"))));
        created.KeyPairId.Should().MatchRegex("^key-[0-9a-f]{17}$");
        created.KeyName.Should().Be(name);
    }

    [Fact]
    public async Task The_public_key_described_is_the_one_of_the_private_key_handed_out_and_the_private_key_is_not_kept()
    {
        using var ec2 = cloud.Ec2(Region);
        var name = Unique("kept");
        var created = (await ec2.CreateKeyPairAsync(new CreateKeyPairRequest { KeyName = name })).KeyPair;

        var described = (await ec2.DescribeKeyPairsAsync(new DescribeKeyPairsRequest { KeyNames = [name], IncludePublicKey = true })).KeyPairs.Single();

        using var rsa = RSA.Create();
        rsa.ImportFromPem(created.KeyMaterial);
        var parameters = rsa.ExportParameters(false);
        described.PublicKey.Should().StartWith("ssh-rsa ").And.EndWith(" " + name);
        var blob = Convert.FromBase64String(described.PublicKey.Split(' ')[1]);
        blob.AsSpan().IndexOf(parameters.Modulus).Should().BePositive("the described public key carries the modulus of the private key");
        described.KeyType.Value.Should().Be("rsa");
        described.KeyFingerprint.Should().Be(created.KeyFingerprint);
        Encoding.UTF8.GetString(cloud.Server.GetStateJson()).Should().NotContain(created.KeyMaterial.Split('\n')[1], "only the public key is kept");
    }

    [Fact]
    public async Task An_ed25519_key_pair_comes_as_an_openssh_private_key_with_a_sha256_fingerprint()
    {
        using var ec2 = cloud.Ec2(Region);
        var name = Unique("ed");

        var created = (await ec2.CreateKeyPairAsync(new CreateKeyPairRequest { KeyName = name, KeyType = KeyType.Ed25519 })).KeyPair;
        var described = (await ec2.DescribeKeyPairsAsync(new DescribeKeyPairsRequest { KeyPairIds = [created.KeyPairId], IncludePublicKey = true })).KeyPairs.Single();

        created.KeyMaterial.Should().StartWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        var file = Convert.FromBase64String(string.Concat(created.KeyMaterial.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        Encoding.ASCII.GetString(file, 0, 14).Should().Be("openssh-key-v1");
        var publicBlob = Convert.FromBase64String(described.PublicKey.Split(' ')[1]);
        var publicKey = publicBlob[^32..];
        // The private section holds string(public key) then string(seed || public key).
        var secret = file.AsSpan().IndexOf((byte[])[.. publicKey, 0, 0, 0, 64]) + 32 + 4;
        var seed = file.AsSpan(secret, 32).ToArray();
        file.AsSpan(secret + 32, 32).ToArray().Should().Equal(publicKey);
        new Ed25519PrivateKeyParameters(seed).GeneratePublicKey().GetEncoded().Should().Equal(publicKey);
        created.KeyFingerprint.Should().Be(Convert.ToBase64String(SHA256.HashData(publicBlob)));
        described.KeyType.Value.Should().Be("ed25519");
    }

    [Fact]
    public async Task A_ppk_key_pair_is_a_putty_private_key_file()
    {
        using var ec2 = cloud.Ec2(Region);

        var created = (await ec2.CreateKeyPairAsync(new CreateKeyPairRequest { KeyName = Unique("ppk"), KeyFormat = KeyFormat.Ppk })).KeyPair;

        created.KeyMaterial.Should().StartWith("PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\n").And.Contain("\nPrivate-MAC: ");
    }

    [Fact]
    public async Task Creating_or_importing_a_key_pair_under_a_name_in_use_is_invalid_key_pair_duplicate()
    {
        using var ec2 = cloud.Ec2(Region);
        var name = Unique("dup");
        await ec2.CreateKeyPairAsync(new CreateKeyPairRequest { KeyName = name });

        var create = () => ec2.CreateKeyPairAsync(new CreateKeyPairRequest { KeyName = name });
        var import = () => ec2.ImportKeyPairAsync(new ImportKeyPairRequest { KeyName = name, PublicKeyMaterial = OpenSshPublicKey() });

        (await create.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidKeyPair.Duplicate");
        (await import.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidKeyPair.Duplicate");
    }

    [Fact]
    public async Task An_imported_rsa_key_has_the_md5_fingerprint_of_its_public_key_blob()
    {
        using var ec2 = cloud.Ec2(Region);
        using var rsa = RSA.Create(3072);
        var line = OpenSshLine(rsa);

        var imported = await ec2.ImportKeyPairAsync(new ImportKeyPairRequest { KeyName = Unique("imported"), PublicKeyMaterial = Base64(line) });

        var blob = Convert.FromBase64String(line.Split(' ')[1]);
        imported.KeyFingerprint.Should().Be(string.Join(':', MD5.HashData(blob).Select(b => b.ToString("x2"))));
    }

    [Fact]
    public async Task Importing_something_that_is_not_an_openssh_rsa_or_ed25519_public_key_is_invalid_key_format()
    {
        using var ec2 = cloud.Ec2(Region);

        var garbage = () => ec2.ImportKeyPairAsync(new ImportKeyPairRequest { KeyName = Unique("bad"), PublicKeyMaterial = Base64("not a key") });
        var dsa = () => ec2.ImportKeyPairAsync(new ImportKeyPairRequest { KeyName = Unique("dsa"), PublicKeyMaterial = Base64("ssh-dss " + Convert.ToBase64String(Wire("ssh-dss", [1], [2], [3], [4]))) });

        (await garbage.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidKey.Format");
        (await dsa.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidKey.Format");
    }

    [Fact]
    public async Task Describe_key_pairs_finds_them_by_name_id_and_tag_and_a_missing_name_is_not_found()
    {
        using var ec2 = cloud.Ec2(Region);
        var name = Unique("tagged");
        var run = Guid.NewGuid().ToString("N");
        var created = (await ec2.CreateKeyPairAsync(new CreateKeyPairRequest
        {
            KeyName = name,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.KeyPair, Tags = [new Tag("imagepipeline:run-id", run)] }],
        })).KeyPair;

        var byTag = await ec2.DescribeKeyPairsAsync(new DescribeKeyPairsRequest { Filters = [new Filter("tag:imagepipeline:run-id", [run])] });
        var byId = await ec2.DescribeKeyPairsAsync(new DescribeKeyPairsRequest { KeyPairIds = [created.KeyPairId] });
        var missing = () => ec2.DescribeKeyPairsAsync(new DescribeKeyPairsRequest { KeyNames = [Unique("missing")] });

        byTag.KeyPairs.Should().ContainSingle().Which.KeyName.Should().Be(name);
        byTag.KeyPairs[0].Tags.Should().ContainSingle(t => t.Key == "imagepipeline:run-id" && t.Value == run);
        byId.KeyPairs.Should().ContainSingle().Which.KeyName.Should().Be(name);
        (await missing.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidKeyPair.NotFound");
    }

    [Fact]
    public async Task Deleting_a_key_pair_by_name_or_id_removes_it_and_deleting_a_missing_name_succeeds()
    {
        using var ec2 = cloud.Ec2(Region);
        var byName = Unique("del-name");
        var byId = (await ec2.CreateKeyPairAsync(new CreateKeyPairRequest { KeyName = Unique("del-id") })).KeyPair;
        await ec2.CreateKeyPairAsync(new CreateKeyPairRequest { KeyName = byName });

        await ec2.DeleteKeyPairAsync(new DeleteKeyPairRequest { KeyName = byName });
        await ec2.DeleteKeyPairAsync(new DeleteKeyPairRequest { KeyPairId = byId.KeyPairId });
        var again = () => ec2.DeleteKeyPairAsync(new DeleteKeyPairRequest { KeyName = byName });

        await again.Should().NotThrowAsync();
        var left = await ec2.DescribeKeyPairsAsync(new DescribeKeyPairsRequest());
        (left.KeyPairs ?? []).Select(k => k.KeyName).Should().NotContain([byName, byId.KeyName]);
    }

    [Fact]
    public async Task Another_accounts_key_pairs_are_invisible()
    {
        using var ec2 = cloud.Ec2(Region);
        using var other = cloud.Ec2(Region, otherAccount: true);
        var name = Unique("mine");
        await ec2.CreateKeyPairAsync(new CreateKeyPairRequest { KeyName = name });

        var act = () => other.DescribeKeyPairsAsync(new DescribeKeyPairsRequest { KeyNames = [name] });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidKeyPair.NotFound");
    }

    internal static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>ImportKeyPair takes the key file's text base64-encoded (the SDK for .NET sends the string as given).</summary>
    internal static string Base64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));

    internal static string OpenSshPublicKey()
    {
        using var rsa = RSA.Create(2048);
        return Base64(OpenSshLine(rsa));
    }

    internal static string OpenSshLine(RSA rsa)
    {
        var p = rsa.ExportParameters(false);
        return "ssh-rsa " + Convert.ToBase64String(Wire("ssh-rsa", p.Exponent!, [0, .. p.Modulus!])) + " me@host";
    }

    private static byte[] Wire(string type, params byte[][] fields)
    {
        var output = new MemoryStream();
        foreach (var field in new[] { Encoding.ASCII.GetBytes(type) }.Concat(fields))
        {
            output.Write([(byte)(field.Length >> 24), (byte)(field.Length >> 16), (byte)(field.Length >> 8), (byte)field.Length]);
            output.Write(field);
        }

        return output.ToArray();
    }
}
