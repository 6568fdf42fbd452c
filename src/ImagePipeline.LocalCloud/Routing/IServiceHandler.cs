using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.Routing;

/// <summary>One AWS service the router dispatches to by the SigV4 service name.</summary>
internal interface IServiceHandler
{
    /// <summary>The SigV4 service name (s3, ec2, sts, ssm).</summary>
    string Service { get; }

    /// <summary>The SDK operation name of the request (PutObject, DescribeImages…), used for fault matching.</summary>
    Task<string> ResolveOperationAsync(HttpContext context, CancellationToken cancellationToken);

    Task HandleAsync(HttpContext context, CallerContext caller, string operation, CancellationToken cancellationToken);

    /// <summary>Renders an error in the service's wire format.</summary>
    Task WriteErrorAsync(HttpContext context, AwsServiceException error, string requestId, CancellationToken cancellationToken);

    /// <summary>The error for an access key the cloud does not know.</summary>
    AwsServiceException UnknownAccessKey();

    /// <summary>The error for a request that is not signed at all.</summary>
    AwsServiceException MissingAuthentication();

    /// <summary>The error for a signature that does not verify.</summary>
    AwsServiceException SignatureMismatch();

    /// <summary>The error for a request signed too far from the server's time, or a presigned URL past its expiry.</summary>
    AwsServiceException RequestExpired(string requestTime, string serverTime, bool presigned);

    /// <summary>The throttling error as the service spells it.</summary>
    AwsServiceException Throttled();

    /// <summary>The internal error as the service spells it.</summary>
    AwsServiceException InternalError();
}
