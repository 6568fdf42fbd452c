using ImagePipeline.LocalCloud.Routing;

namespace ImagePipeline.LocalCloud.S3;

/// <summary>S3's errors with the codes, statuses and messages S3 uses.</summary>
internal static class S3Errors
{
    public static AwsServiceException NoSuchBucket(string bucket) =>
        new AwsServiceException(404, "NoSuchBucket", "The specified bucket does not exist").With("BucketName", bucket);

    public static AwsServiceException NoSuchKey(string key) =>
        new AwsServiceException(404, "NoSuchKey", "The specified key does not exist.").With("Key", key);

    public static AwsServiceException AccessDenied() => new(403, "AccessDenied", "Access Denied");

    public static AwsServiceException PermanentRedirect(string bucket, string region)
    {
        var error = new AwsServiceException(
                301,
                "PermanentRedirect",
                "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.")
            .With("Endpoint", $"s3.{region}.amazonaws.com")
            .With("Bucket", bucket);
        error.Headers["x-amz-bucket-region"] = region;
        return error;
    }

    public static AwsServiceException InvalidBucketName(string bucket) =>
        new AwsServiceException(400, "InvalidBucketName", "The specified bucket is not valid.").With("BucketName", bucket);

    public static AwsServiceException InvalidArgument(string message, string name, string value) =>
        new AwsServiceException(400, "InvalidArgument", message).With("ArgumentName", name).With("ArgumentValue", value);

    public static AwsServiceException InvalidRequest(string message) => new(400, "InvalidRequest", message);

    public static AwsServiceException MalformedXml() =>
        new(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");

    public static AwsServiceException NotImplemented() =>
        new(501, "NotImplemented", "A header you provided implies functionality that is not implemented");
}
