using ImagePipeline.Strategies.InstanceStore.Parameters;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Ssh;

namespace ImagePipeline.Strategies.InstanceStore.Uploads;

/// <summary>
/// Uploads one part file that lies on the instance. <c>--upload-from host</c>: the bytes come back over the SSH connection
/// (read as root: the bundle folder is root's) and this host PUTs them. <c>--upload-from instance</c>: this host mints a
/// presigned PUT URL for that one object (short-lived, bound to its Content-MD5, the run id, the ACL and If-None-Match),
/// and the instance PUTs the file with curl; no AWS credential ever reaches the instance.
/// </summary>
public sealed class InstancePartSender(
    BundleObjectUploader uploader,
    IRemoteSession connection,
    IAmazonS3 s3,
    BundleUploadSource source,
    VolumeBundlerStaging staging,
    string runId,
    TimeProvider timeProvider)
{
    /// <summary>How long a presigned URL is good for: one part of at most 10 MiB, tried once.</summary>
    public static readonly TimeSpan UrlLifetime = TimeSpan.FromMinutes(5);

    public Task UploadAsync(StreamedBundlePart part, string key, CancellationToken cancellationToken)
    {
        var md5 = Convert.FromBase64String(part.Md5Base64);
        var digest = new PartDigest(Convert.ToHexStringLower(md5), part.Md5Base64);
        return source == BundleUploadSource.Host
            ? UploadThroughHostAsync(part, key, digest, cancellationToken)
            : uploader.UploadAsync(key, digest, (overwriteOwn, token) => PutFromInstanceAsync(part, key, digest, overwriteOwn, token), cancellationToken);
    }

    private async Task UploadThroughHostAsync(StreamedBundlePart part, string key, PartDigest digest, CancellationToken cancellationToken)
    {
        var bytes = await connection.ReadFileAsRootAsync(part.Path, cancellationToken);
        if (bytes.Length != part.Size || Convert.ToBase64String(MD5.HashData(bytes)) != part.Md5Base64)
        {
            throw new PipelineException($"{part.FileName} read back from {connection.Host} is not what the volume bundler reported ({bytes.Length} bytes); run again.");
        }

        await uploader.UploadBytesAsync(bytes, key, digest, cancellationToken);
    }

    private async Task PutFromInstanceAsync(StreamedBundlePart part, string key, PartDigest digest, bool overwriteOwn, CancellationToken cancellationToken)
    {
        var url = await PresignAsync(key, digest, overwriteOwn);

        // The URL goes to curl in a config file in the private staging folder, never on a command line the instance's
        // other users could read in the process list.
        var headers = new List<string> { $"Content-MD5: {digest.Base64}", "x-amz-acl: aws-exec-read", $"x-amz-meta-{RunObjectOwnership.MetadataName}: {runId}", "Content-Type: application/octet-stream" };
        if (!overwriteOwn)
        {
            headers.Add("If-None-Match: *");
        }

        var config = string.Join('\n', [$"url = \"{url}\"", .. headers.Select(header => $"header = \"{header}\"")]) + "\n";
        var configPath = staging.Directory.TrimEnd('/') + "/" + part.FileName + ".curl";
        using (var input = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(config)))
        {
            await connection.UploadAsync(input, configPath, RemoteStagingFolder.PrivateFileMode, cancellationToken);
        }

        string answer;
        try
        {
            answer = await connection.ReadAsync(
                RemoteCommands.AsRoot + $"$run curl -sS -X PUT --upload-file {RemoteCommands.Quote(part.Path)} -K {RemoteCommands.Quote(configPath)} -o - -w '\\n%{{http_code}}'",
                $"Uploading {part.FileName} from the instance",
                cancellationToken);
        }
        catch (PipelineException exception)
        {
            // curl itself failed (no route, a reset connection): worth another try.
            throw new HttpRequestException(exception.Message, exception);
        }
        finally
        {
            await connection.DeleteAsync(configPath, CancellationToken.None);
        }

        var lines = answer.TrimEnd('\n').Split('\n');
        var status = int.Parse(lines[^1], CultureInfo.InvariantCulture);
        var body = string.Join('\n', lines[..^1]);
        switch (status)
        {
            case 200:
                return;
            case 412:
                throw new AmazonS3Exception("At least one of the preconditions you specified did not hold.") { StatusCode = HttpStatusCode.PreconditionFailed, ErrorCode = "PreconditionFailed" };
            case >= 500 or 429:
                throw new HttpRequestException($"S3 answered {status} to the PUT of {key} from the instance.", null, (HttpStatusCode)status);
            default:
                throw new PipelineException($"S3 refused the PUT of {key} from {connection.Host} ({status}: {ErrorCode(body)}); check that the instance's clock is right and that it can reach S3.");
        }
    }

    private Task<string> PresignAsync(string key, PartDigest digest, bool overwriteOwn)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = uploader.Bucket,
            Key = key,
            Verb = HttpVerb.PUT,
            Expires = timeProvider.GetUtcNow().Add(UrlLifetime).UtcDateTime,
            ContentType = "application/octet-stream",
            Protocol = s3.Config.ServiceURL?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
        };
        request.Headers.ContentMD5 = digest.Base64;
        request.Headers["x-amz-acl"] = "aws-exec-read";
        request.Metadata.Add(RunObjectOwnership.MetadataName, runId);
        if (!overwriteOwn)
        {
            request.Headers["If-None-Match"] = "*";
        }

        return s3.GetPreSignedURLAsync(request);
    }

    private static string ErrorCode(string body)
    {
        var start = body.IndexOf("<Code>", StringComparison.Ordinal);
        var end = body.IndexOf("</Code>", StringComparison.Ordinal);
        return start >= 0 && end > start ? body[(start + 6)..end] : "no S3 error code";
    }
}
