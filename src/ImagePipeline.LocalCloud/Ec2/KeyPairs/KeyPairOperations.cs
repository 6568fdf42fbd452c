using System.Text;
using System.Xml.Linq;
using ImagePipeline.LocalCloud.Storage;
using static ImagePipeline.LocalCloud.Ec2.Ec2Xml;

namespace ImagePipeline.LocalCloud.Ec2.KeyPairs;

/// <summary>
/// CreateKeyPair, ImportKeyPair, DescribeKeyPairs, DeleteKeyPair. Only the public half is kept: CreateKeyPair hands
/// the private key out once, as EC2 does.
/// </summary>
internal static class KeyPairOperations
{
    public static XElement Create(Ec2Call call)
    {
        var name = KeyName(call);
        var type = call.Query.Get("KeyType") ?? "rsa";
        var format = call.Query.Get("KeyFormat") ?? "pem";
        if (type is not ("rsa" or "ed25519"))
        {
            throw Ec2Errors.InvalidParameterValue($"Value ({type}) for parameter keyType is invalid. Valid values: rsa, ed25519");
        }

        if (format is not ("pem" or "ppk"))
        {
            throw Ec2Errors.InvalidParameterValue($"Value ({format}) for parameter keyFormat is invalid. Valid values: pem, ppk");
        }

        var tags = call.Query.TagSpecifications("key-pair").GetValueOrDefault("key-pair") ?? [];
        CheckUnique(call, name);
        var key = type == "rsa" ? KeyMaterial.CreateRsa(name, format) : KeyMaterial.CreateEd25519(name, format);
        var record = Add(call, name, type, key.Fingerprint, key.PublicKey, tags);
        return call.Response(
            E("keyName", record.KeyName),
            E("keyFingerprint", record.KeyFingerprint),
            E("keyMaterial", key.PrivateKey),
            E("keyPairId", record.KeyPairId),
            TagSet(record.Tags));
    }

    public static XElement Import(Ec2Call call)
    {
        var name = KeyName(call);
        var material = call.Query.Require("PublicKeyMaterial");
        var tags = call.Query.TagSpecifications("key-pair").GetValueOrDefault("key-pair") ?? [];
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(material));
        }
        catch (FormatException)
        {
            throw Ec2Errors.Error("InvalidKey.Format", "Key is not in valid OpenSSH public key format");
        }

        var key = KeyMaterial.Import(text, name) ?? throw Ec2Errors.Error("InvalidKey.Format", "Key is not in valid OpenSSH public key format");
        CheckUnique(call, name);
        var record = Add(call, name, key.KeyType, key.Fingerprint, key.PublicKey, tags);
        return call.Response(E("keyName", record.KeyName), E("keyFingerprint", record.KeyFingerprint), E("keyPairId", record.KeyPairId), TagSet(record.Tags));
    }

    public static XElement Describe(Ec2Call call)
    {
        var names = call.Query.List("KeyName");
        var ids = call.Query.List("KeyPairId");
        var includePublicKey = call.Query.Bool("IncludePublicKey");
        var filters = call.Query.Filters();
        var mine = call.Region.KeyPairs.Values.Where(k => k.OwnerAccountId == call.Caller.AccountId).ToList();
        foreach (var name in names.Where(n => mine.All(k => k.KeyName != n)))
        {
            throw NotFound(name);
        }

        foreach (var id in ids.Where(i => mine.All(k => k.KeyPairId != i)))
        {
            throw Ec2Errors.Error("InvalidKeyPair.NotFound", $"The key pair ID '{id}' does not exist");
        }

        var selected = mine
            .Where(k => (names.Count == 0 || names.Contains(k.KeyName)) && (ids.Count == 0 || ids.Contains(k.KeyPairId)))
            .Where(k => Ec2Filters.Matches(filters, f => f switch
            {
                "key-name" => [k.KeyName],
                "key-pair-id" => [k.KeyPairId],
                "fingerprint" => [k.KeyFingerprint],
                "key-type" => [k.KeyType],
                _ => null,
            }, k.Tags))
            .OrderBy(k => k.KeyName, StringComparer.Ordinal);
        return call.Response(new XElement(Ns + "keySet", selected.Select(k => Item(
            E("keyPairId", k.KeyPairId),
            E("keyType", k.KeyType),
            TagSet(k.Tags),
            E("keyName", k.KeyName),
            E("keyFingerprint", k.KeyFingerprint),
            includePublicKey ? E("publicKey", k.PublicKey) : null,
            E("createTime", Time(k.CreateTime))))));
    }

    /// <summary>By name or id; a name that does not exist is a success, as on EC2 (deleting is idempotent).</summary>
    public static XElement Delete(Ec2Call call)
    {
        var name = call.Query.Get("KeyName");
        var id = call.Query.Get("KeyPairId");
        if (name is null && id is null)
        {
            throw Ec2Errors.MissingParameter("KeyName");
        }

        if (id is not null && !Ec2Ids.IsWellFormed(id, "key"))
        {
            throw Ec2Errors.Error("InvalidKeyPair.Malformed", $"Invalid id: \"{id}\" (expecting \"key-...\")");
        }

        var record = call.Region.KeyPairs.Values.FirstOrDefault(k =>
            k.OwnerAccountId == call.Caller.AccountId && (name is null || k.KeyName == name) && (id is null || k.KeyPairId == id));
        if (record is not null)
        {
            call.Region.KeyPairs.Remove(record.KeyPairId);
        }

        return call.Response(E("return", "true"), record is null ? null : E("keyPairId", record.KeyPairId));
    }

    public static Routing.AwsServiceException NotFound(string name) => Ec2Errors.Error("InvalidKeyPair.NotFound", $"The key pair '{name}' does not exist");

    private static string KeyName(Ec2Call call)
    {
        var name = call.Query.Require("KeyName");
        if (name.Length > 255 || name.Any(c => c > 127 || char.IsControl(c)))
        {
            throw Ec2Errors.InvalidParameterValue($"Value ({name}) for parameter keyName is invalid. Key names may contain up to 255 ASCII characters.");
        }

        return name;
    }

    private static void CheckUnique(Ec2Call call, string name)
    {
        if (call.Region.KeyPairs.Values.Any(k => k.OwnerAccountId == call.Caller.AccountId && k.KeyName == name))
        {
            throw Ec2Errors.Error("InvalidKeyPair.Duplicate", $"The keypair '{name}' already exists.");
        }
    }

    private static KeyPairRecord Add(Ec2Call call, string name, string type, string fingerprint, string publicKey, List<Tag> tags)
    {
        var record = new KeyPairRecord
        {
            KeyPairId = ResourceIds.New("key"),
            KeyName = name,
            OwnerAccountId = call.Caller.AccountId,
            KeyType = type,
            KeyFingerprint = fingerprint,
            PublicKey = publicKey,
            CreateTime = call.Now,
            Tags = tags,
        };
        call.Region.KeyPairs[record.KeyPairId] = record;
        return record;
    }
}
