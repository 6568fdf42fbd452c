using System.Xml.Linq;
using ImagePipeline.LocalCloud.Routing;
using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.Sts;

/// <summary>STS over the Query protocol: GetCallerIdentity answers the account of the signing key.</summary>
internal sealed class StsHandler : IServiceHandler
{
    private static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";

    public string Service => "sts";

    public async Task<string> ResolveOperationAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
        {
            return (await context.Request.ReadFormAsync(cancellationToken))["Action"].ToString();
        }

        return context.Request.Query["Action"].ToString();
    }

    public Task HandleAsync(HttpContext context, CallerContext caller, string operation, CancellationToken cancellationToken)
    {
        if (operation != "GetCallerIdentity")
        {
            throw new AwsServiceException(400, "InvalidAction", $"Could not find operation {operation} for version 2011-06-15");
        }

        var root = new XElement(
            Ns + "GetCallerIdentityResponse",
            new XElement(
                Ns + "GetCallerIdentityResult",
                new XElement(Ns + "Arn", $"arn:aws:iam::{caller.AccountId}:user/localcloud"),
                new XElement(Ns + "UserId", caller.AccessKeyId),
                new XElement(Ns + "Account", caller.AccountId)),
            new XElement(Ns + "ResponseMetadata", new XElement(Ns + "RequestId", caller.RequestId)));
        return XmlResponse.WriteAsync(context, root, 200, cancellationToken);
    }

    public Task WriteErrorAsync(HttpContext context, AwsServiceException error, string requestId, CancellationToken cancellationToken)
    {
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        var root = new XElement(
            Ns + "ErrorResponse",
            new XElement(
                Ns + "Error",
                new XElement(Ns + "Type", error.StatusCode >= 500 ? "Receiver" : "Sender"),
                new XElement(Ns + "Code", error.Code),
                new XElement(Ns + "Message", error.Message)),
            new XElement(Ns + "RequestId", requestId));
        return XmlResponse.WriteAsync(context, root, error.StatusCode, cancellationToken);
    }

    public AwsServiceException UnknownAccessKey() =>
        new(403, "InvalidClientTokenId", "The security token included in the request is invalid.");

    public AwsServiceException MissingAuthentication() =>
        new(403, "MissingAuthenticationToken", "Request is missing Authentication Token");

    public AwsServiceException SignatureMismatch() =>
        new(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");

    public AwsServiceException RequestExpired(string requestTime, string serverTime, bool presigned) =>
        new(403, "SignatureDoesNotMatch", $"Signature expired: {requestTime} is now earlier than {serverTime} (current time - 15 min.)");

    public AwsServiceException Throttled() => new(400, "Throttling", "Rate exceeded");

    public AwsServiceException InternalError() => new(500, "InternalFailure", "An internal error occurred.");
}
