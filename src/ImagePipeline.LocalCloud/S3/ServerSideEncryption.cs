using System.Xml.Linq;
using ImagePipeline.LocalCloud.Storage;
using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.S3;

/// <summary>
/// The encryption an object is stored with: what the request asks for (x-amz-server-side-encryption, checked like
/// S3 checks it) or else the bucket default, which is SSE-S3 unless PutBucketEncryption said otherwise.
/// </summary>
internal static class ServerSideEncryption
{
    public static (string Algorithm, string? KmsKeyId) Resolve(HttpContext context, BucketRecord bucket, string region)
    {
        var requested = context.Request.Headers["x-amz-server-side-encryption"].ToString();
        var keyId = context.Request.Headers["x-amz-server-side-encryption-aws-kms-key-id"].ToString();
        if (requested.Length == 0)
        {
            if (keyId.Length > 0)
            {
                throw S3Errors.InvalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms", "x-amz-server-side-encryption", "null");
            }

            return BucketDefault(bucket, region);
        }

        if (requested is not ("AES256" or "aws:kms" or "aws:kms:dsse"))
        {
            throw S3Errors.InvalidArgument("The encryption method specified is not supported", "x-amz-server-side-encryption", requested);
        }

        if (requested == "AES256")
        {
            if (keyId.Length > 0)
            {
                throw S3Errors.InvalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms", "x-amz-server-side-encryption", requested);
            }

            return ("AES256", null);
        }

        return (requested, keyId.Length > 0 ? keyId : $"arn:aws:kms:{region}:{bucket.OwnerAccountId}:alias/aws/s3");
    }

    public static void WriteHeaders(HttpResponse response, string algorithm, string? kmsKeyId)
    {
        response.Headers["x-amz-server-side-encryption"] = algorithm;
        if (kmsKeyId is not null)
        {
            response.Headers["x-amz-server-side-encryption-aws-kms-key-id"] = kmsKeyId;
        }
    }

    private static (string, string?) BucketDefault(BucketRecord bucket, string region)
    {
        if (bucket.EncryptionXml is null)
        {
            return ("AES256", null);
        }

        var byDefault = XElement.Parse(bucket.EncryptionXml).Descendants().FirstOrDefault(e => e.Name.LocalName == "ApplyServerSideEncryptionByDefault");
        var algorithm = byDefault?.Elements().FirstOrDefault(e => e.Name.LocalName == "SSEAlgorithm")?.Value ?? "AES256";
        var key = byDefault?.Elements().FirstOrDefault(e => e.Name.LocalName == "KMSMasterKeyID")?.Value;
        return algorithm == "AES256" ? ("AES256", null) : (algorithm, key ?? $"arn:aws:kms:{region}:{bucket.OwnerAccountId}:alias/aws/s3");
    }
}
