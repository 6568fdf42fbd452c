namespace ImagePipeline.Abstractions;

/// <summary>An S3 upload policy signed for BundleInstance: the access key id (not secret), the base64 policy and its HMAC-SHA1 signature.</summary>
public sealed record SignedUploadPolicy(string AccessKeyId, string PolicyBase64, string Signature);
