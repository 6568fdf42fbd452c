using System.Text.Json;
using System.Text.Json.Nodes;
using ImagePipeline.LocalCloud.Ec2;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;
using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.Ssm;

/// <summary>
/// SSM over JSON 1.1 (X-Amz-Target: AmazonSSM.*): dispatch and SSM's JSON errors; the work is in
/// <see cref="SsmCommandOperations"/> and <see cref="SsmInstanceInformation"/>.
/// </summary>
internal sealed class SsmHandler(StateStore store, LocalCloudOptions options, LocalCloudFaults faults) : IServiceHandler
{
    private readonly SsmCommandOperations _commands = new(options, faults);

    public string Service => "ssm";

    public Task<string> ResolveOperationAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        return Task.FromResult(target.StartsWith("AmazonSSM.", StringComparison.Ordinal) ? target["AmazonSSM.".Length..] : target);
    }

    public async Task HandleAsync(HttpContext context, CallerContext caller, string operation, CancellationToken cancellationToken)
    {
        JsonObject request;
        try
        {
            request = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: cancellationToken))?.AsObject() ?? [];
        }
        catch (JsonException)
        {
            throw new AwsServiceException(400, "SerializationException", "Start of structure or map found where not expected.");
        }

        JsonObject response;
        using (store.Transaction())
        {
            var now = options.TimeProvider.GetUtcNow();
            var region = InstanceFactory.Region(store.State, caller.Region, now);
            response = operation switch
            {
                "SendCommand" => _commands.SendCommand(request, caller, region, now),
                "GetCommandInvocation" => SsmCommandOperations.GetCommandInvocation(request, caller, region, now),
                "ListCommandInvocations" => SsmCommandOperations.ListCommandInvocations(request, caller, region, now),
                "ListCommands" => SsmCommandOperations.ListCommands(request, caller, region, now),
                "DescribeInstanceInformation" => SsmInstanceInformation.Describe(request, caller, region, now),
                _ => throw new AwsServiceException(400, "UnknownOperationException", $"Unknown operation {operation}"),
            };
            if (operation == "SendCommand")
            {
                store.Save();
            }
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(response);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-amz-json-1.1";
        context.Response.Headers["x-amzn-RequestId"] = caller.RequestId;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, cancellationToken);
    }

    public async Task WriteErrorAsync(HttpContext context, AwsServiceException error, string requestId, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["__type"] = error.Code, ["message"] = error.Message });
        context.Response.StatusCode = error.StatusCode;
        context.Response.ContentType = "application/x-amz-json-1.1";
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        context.Response.Headers["x-amzn-ErrorType"] = error.Code;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, cancellationToken);
    }

    public AwsServiceException UnknownAccessKey() =>
        new(400, "UnrecognizedClientException", "The security token included in the request is invalid.");

    public AwsServiceException MissingAuthentication() =>
        new(400, "MissingAuthenticationTokenException", "Missing Authentication Token");

    public AwsServiceException SignatureMismatch() =>
        new(400, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");

    public AwsServiceException RequestExpired(string requestTime, string serverTime, bool presigned) =>
        new(400, "InvalidSignatureException", $"Signature expired: {requestTime} is now earlier than {serverTime} (current time - 15 min.)");

    public AwsServiceException Throttled() => new(400, "ThrottlingException", "Rate exceeded");

    public AwsServiceException InternalError() => new(500, "InternalServerError", "An internal error occurred.");
}