using System.Xml.Linq;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;
using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.S3;

/// <summary>Dispatches path-style S3 REST requests and renders S3's error XML.</summary>
internal sealed class S3Handler : IServiceHandler
{
    private readonly S3BucketOperations _buckets;
    private readonly S3ObjectOperations _objects;
    private readonly S3ListOperations _lists;

    public S3Handler(StateStore store, TimeProvider time)
    {
        var payloads = new S3PayloadReader(store);
        _buckets = new S3BucketOperations(store, time);
        _objects = new S3ObjectOperations(store, time, payloads);
        _lists = new S3ListOperations(store);
    }

    public string Service => "s3";

    public Task<string> ResolveOperationAsync(HttpContext context, CancellationToken cancellationToken) =>
        Task.FromResult(S3Request.Parse(context).Operation);

    public Task HandleAsync(HttpContext context, CallerContext caller, string operation, CancellationToken cancellationToken)
    {
        var request = S3Request.Parse(context);
        var bucket = request.Bucket ?? "";
        var key = request.Key ?? "";
        context.Response.Headers["x-amz-request-id"] = caller.RequestId;
        if (context.Request.Headers.Authorization.Count > 0 && !context.Request.Headers.ContainsKey("x-amz-content-sha256"))
        {
            throw S3Errors.InvalidRequest("Missing required header for this request: x-amz-content-sha256");
        }

        return operation switch
        {
            "ListBuckets" => _buckets.ListBucketsAsync(context, caller, cancellationToken),
            "PutBucket" => _buckets.CreateBucketAsync(context, caller, bucket, cancellationToken),
            "HeadBucket" => _buckets.HeadBucketAsync(context, caller, bucket),
            "GetBucketLocation" => _buckets.GetBucketLocationAsync(context, caller, bucket, cancellationToken),
            "DeleteBucket" => _buckets.DeleteBucketAsync(context, caller, bucket),
            "PutPublicAccessBlock" => _buckets.PutPublicAccessBlockAsync(context, caller, bucket, cancellationToken),
            "GetPublicAccessBlock" => _buckets.GetPublicAccessBlockAsync(context, caller, bucket, cancellationToken),
            "PutBucketEncryption" => _buckets.PutBucketEncryptionAsync(context, caller, bucket, cancellationToken),
            "GetBucketEncryption" => _buckets.GetBucketEncryptionAsync(context, caller, bucket, cancellationToken),
            "PutBucketOwnershipControls" => _buckets.PutOwnershipControlsAsync(context, caller, bucket, cancellationToken),
            "GetBucketOwnershipControls" => _buckets.GetOwnershipControlsAsync(context, caller, bucket, cancellationToken),
            "ListObjectsV2" => _lists.ListObjectsV2Async(context, caller, bucket, cancellationToken),
            "ListObjects" => _lists.ListObjectsAsync(context, caller, bucket, cancellationToken),
            "DeleteObjects" => _objects.DeleteObjectsAsync(context, caller, bucket, cancellationToken),
            "PutObject" => _objects.PutObjectAsync(context, caller, bucket, key, cancellationToken),
            "GetObject" => _objects.GetObjectAsync(context, caller, bucket, key, headOnly: false, cancellationToken),
            "HeadObject" => _objects.GetObjectAsync(context, caller, bucket, key, headOnly: true, cancellationToken),
            "GetObjectAcl" => _objects.GetObjectAclAsync(context, caller, bucket, key, cancellationToken),
            _ => throw S3Errors.NotImplemented(),
        };
    }

    public async Task WriteErrorAsync(HttpContext context, AwsServiceException error, string requestId, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.Headers["x-amz-request-id"] = requestId;
        response.Headers["x-amz-id-2"] = Convert.ToBase64String(Guid.Parse(requestId).ToByteArray());
        foreach (var (name, value) in error.Headers)
        {
            response.Headers[name] = value;
        }

        // S3 error documents carry no namespace.
        var root = new XElement(
            "Error",
            new XElement("Code", error.Code),
            new XElement("Message", error.Message),
            error.Details.Select(d => new XElement(d.Key, d.Value)),
            new XElement("RequestId", requestId),
            new XElement("HostId", response.Headers["x-amz-id-2"].ToString()));
        await XmlResponse.WriteAsync(context, root, error.StatusCode, cancellationToken);
    }

    public AwsServiceException UnknownAccessKey() =>
        new(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");

    public AwsServiceException MissingAuthentication() => S3Errors.AccessDenied();

    public AwsServiceException SignatureMismatch() =>
        new(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");

    public AwsServiceException RequestExpired(string requestTime, string serverTime, bool presigned) => presigned
        ? new AwsServiceException(403, "AccessDenied", "Request has expired").With("X-Amz-Expires", "").With("Expires", requestTime).With("ServerTime", serverTime)
        : new AwsServiceException(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.")
            .With("RequestTime", requestTime)
            .With("ServerTime", serverTime)
            .With("MaxAllowedSkewMilliseconds", "900000");

    public AwsServiceException Throttled() => new(503, "SlowDown", "Please reduce your request rate.");

    public AwsServiceException InternalError() => new(500, "InternalError", "We encountered an internal error. Please try again.");
}
