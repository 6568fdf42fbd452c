using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>
/// Checks BundleInstance's S3 upload policy as S3 would when EC2 uploads with it: base64 JSON, not expired, naming
/// exactly the task's bucket and key prefix and acl ec2-bundle-read, signed with HMAC-SHA1 by the secret of the given
/// access key.
/// </summary>
internal static class UploadPolicy
{
    public static void Check(string policyBase64, string signature, string accessKeyId, string bucket, string prefix, DateTimeOffset now)
    {
        var secret = LocalCloudAccounts.SecretOf(accessKeyId)
            ?? throw Ec2Errors.InvalidParameterValue($"The AWS Access Key Id '{accessKeyId}' given in Storage.S3.AWSAccessKeyId does not exist in our records.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Convert.FromBase64String(policyBase64));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw Ec2Errors.InvalidParameterValue("Storage.S3.UploadPolicy is not a base64-encoded JSON policy document.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("expiration", out var expirationElement)
                || !DateTimeOffset.TryParse(expirationElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiration))
            {
                throw Ec2Errors.InvalidParameterValue("Storage.S3.UploadPolicy must contain an 'expiration' timestamp.");
            }

            if (expiration <= now)
            {
                throw Ec2Errors.InvalidParameterValue($"Storage.S3.UploadPolicy expired at {expiration:O}.");
            }

            if (!root.TryGetProperty("conditions", out var conditions) || conditions.ValueKind != JsonValueKind.Array)
            {
                throw Ec2Errors.InvalidParameterValue("Storage.S3.UploadPolicy must contain a 'conditions' list.");
            }

            string? policyBucket = null;
            string? acl = null;
            string? keyPrefix = null;
            foreach (var condition in conditions.EnumerateArray())
            {
                if (condition.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in condition.EnumerateObject())
                    {
                        switch (property.Name)
                        {
                            case "bucket": policyBucket = property.Value.GetString(); break;
                            case "acl": acl = property.Value.GetString(); break;
                            case "key": keyPrefix = property.Value.GetString(); break;
                        }
                    }
                }
                else if (condition.ValueKind == JsonValueKind.Array && condition.GetArrayLength() == 3
                    && condition[0].GetString() == "starts-with" && condition[1].GetString() == "$key")
                {
                    keyPrefix = condition[2].GetString();
                }
            }

            if (policyBucket != bucket)
            {
                throw Ec2Errors.InvalidParameterValue($"Storage.S3.UploadPolicy allows bucket '{policyBucket}', not '{bucket}'.");
            }

            if (keyPrefix != prefix)
            {
                throw Ec2Errors.InvalidParameterValue($"Storage.S3.UploadPolicy allows keys starting with '{keyPrefix}', not '{prefix}'.");
            }

            if (acl != "ec2-bundle-read")
            {
                throw Ec2Errors.InvalidParameterValue("Storage.S3.UploadPolicy must require acl 'ec2-bundle-read'.");
            }
        }

        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(policyBase64)));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            throw Ec2Errors.InvalidParameterValue("Storage.S3.UploadPolicySignature does not match the upload policy signed with the secret key of Storage.S3.AWSAccessKeyId.");
        }
    }
}
