namespace ImagePipeline.LocalCloud.Routing;

/// <summary>Who called, where, and which service: taken from the SigV4 credential scope.</summary>
internal sealed record CallerContext(string AccessKeyId, string AccountId, string Region, string Service, string RequestId);
