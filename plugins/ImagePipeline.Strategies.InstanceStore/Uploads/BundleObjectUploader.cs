using ImagePipeline.Strategies.InstanceStore.Buckets;
using ImagePipeline.Strategies.InstanceStore.Ssh;
using ImagePipeline.Strategies.InstanceStore.State;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.Certificates;
using ImagePipeline.Strategies.InstanceStore.Bundles;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore.Uploads;

/// <summary>
/// Puts the objects of a bundle for a step, one call per object (callers run several at once), and keeps the run
/// state's list of uploaded keys: every object carries the run id and is sent with If-None-Match: *, so nothing this
/// run did not make is ever written over; an object an earlier attempt of this run sent whole is not sent again. The
/// bytes go from a file here, from memory, or from the instance itself (a presigned PUT), whoever sends them.
/// </summary>
public sealed class BundleObjectUploader(IAmazonS3 s3, string bucket, TransientFailureRetry retry, StepContext context, IReadOnlySet<string> attemptedEarlier) : IDisposable
{
    private readonly SemaphoreSlim _stateGate = new(1, 1);
    private int _sent;
    private int _alreadyPresent;

    /// <summary>Sends the object; <c>overwriteOwn</c> is true when an incomplete object of this run is there and is replaced (no If-None-Match).</summary>
    public delegate Task PutAsync(bool overwriteOwn, CancellationToken cancellationToken);

    public int Sent => _sent;

    public int AlreadyPresent => _alreadyPresent;

    public string Bucket => bucket;

    public void Dispose() => _stateGate.Dispose();

    /// <summary>Uploads a local file with the SDK.</summary>
    public async Task UploadFileAsync(string path, string key, CancellationToken cancellationToken)
    {
        var digest = await PartDigest.OfFileAsync(path, cancellationToken);
        await UploadAsync(
            key,
            digest,
            (overwriteOwn, token) => s3.PutObjectAsync(Request(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous), key, digest, overwriteOwn), token),
            cancellationToken);
    }

    /// <summary>Uploads bytes held in memory with the SDK.</summary>
    public Task UploadBytesAsync(byte[] bytes, string key, PartDigest digest, CancellationToken cancellationToken) =>
        UploadAsync(
            key,
            digest,
            (overwriteOwn, token) => s3.PutObjectAsync(Request(() => new MemoryStream(bytes, writable: false), key, digest, overwriteOwn), token),
            cancellationToken);

    /// <summary>
    /// Uploads through <paramref name="put"/>, which reports S3's 412 Precondition Failed as an
    /// <see cref="AmazonS3Exception"/> with that status (the SDK does; a presigned PUT's sender translates it).
    /// </summary>
    public async Task UploadAsync(string key, PartDigest digest, PutAsync put, CancellationToken cancellationToken)
    {
        var overwriteOwn = false;
        if (attemptedEarlier.Contains(key))
        {
            var owner = await retry.ExecuteAsync($"Checking {key}", token => RunObjectOwnership.OwnerOfAsync(s3, bucket, key, token), cancellationToken);
            if (owner is not null && owner.RunId != context.RunId)
            {
                throw NotOurs(key, owner);
            }

            if (owner is not null && digest.MatchesETag(owner.ETag))
            {
                Interlocked.Increment(ref _alreadyPresent);
                return;
            }

            overwriteOwn = owner is not null;
        }

        // Recorded (and saved) before the PUT: an object that reaches S3 is always one the cleanup knows about.
        await RecordAsync(key, cancellationToken);
        try
        {
            await retry.ExecuteAsync($"Uploading {key}", token => put(overwriteOwn, token), cancellationToken);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            // Someone else's object is there; or ours, when an earlier try of this PUT landed and only its answer was lost.
            var owner = await RunObjectOwnership.OwnerOfAsync(s3, bucket, key, cancellationToken);
            if (owner is null || owner.RunId != context.RunId || !digest.MatchesETag(owner.ETag))
            {
                throw NotOurs(key, owner);
            }
        }

        Interlocked.Increment(ref _sent);
    }

    /// <summary>
    /// The PUT: the run id in its metadata, and If-None-Match: * so that S3 itself refuses to write over an object
    /// that appeared meanwhile (only an object of this run, checked just before, is replaced).
    /// </summary>
    private PutObjectRequest Request(Func<Stream> open, string key, PartDigest digest, bool overwriteOwn)
    {
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = open(),
            AutoCloseStream = true,
            // Sign the whole payload rather than aws-chunked frames: some S3-compatible servers (s3rver among
            // them) store chunked bodies verbatim, while a whole-payload hash works everywhere, AWS included.
            UseChunkEncoding = false,
            MD5Digest = digest.Base64,
            CannedACL = S3CannedACL.AWSExecRead,
            ContentType = key.EndsWith(".xml", StringComparison.Ordinal) ? "application/xml" : "application/octet-stream",
        };
        RunObjectOwnership.Mark(request, context.RunId);
        if (!overwriteOwn)
        {
            request.IfNoneMatch = "*";
        }

        return request;
    }

    private PipelineException NotOurs(string key, ObjectOwner? owner) => new(
        $"s3://{bucket}/{key} already exists and was not made by this run ({(owner?.RunId is { } other ? $"run {other}" : "no run id")}); nothing was written over it. Start a new run with another --bundle-prefix.");

    private async Task RecordAsync(string key, CancellationToken cancellationToken)
    {
        await _stateGate.WaitAsync(cancellationToken);
        try
        {
            var keys = context.State.GetOrDefault(InstanceStoreState.UploadedKeys, []);
            if (!keys.Contains(key, StringComparer.Ordinal))
            {
                context.State.Set(InstanceStoreState.UploadedKeys, [.. keys, key]);
                await context.CheckpointAsync(cancellationToken);
            }
        }
        finally
        {
            _stateGate.Release();
        }
    }
}
