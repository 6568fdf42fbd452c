namespace ImagePipeline.LocalCloud.Routing;

/// <summary>
/// An error a service answers with; each service renders it in its own wire format (S3 XML, EC2 XML, STS XML, JSON).
/// </summary>
internal sealed class AwsServiceException : Exception
{
    public AwsServiceException(int statusCode, string code, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Code = code;
    }

    public int StatusCode { get; }

    public string Code { get; }

    /// <summary>Extra S3 error elements (BucketName, Key, Region…), in order.</summary>
    public List<KeyValuePair<string, string>> Details { get; } = [];

    /// <summary>Extra response headers (x-amz-bucket-region on a redirect).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public AwsServiceException With(string element, string value)
    {
        Details.Add(new(element, value));
        return this;
    }
}
