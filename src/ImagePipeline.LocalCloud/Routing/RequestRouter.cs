using ImagePipeline.LocalCloud.Control;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.LocalCloud.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.LocalCloud.Routing;

/// <summary>
/// The single dispatcher: control API under /_localcloud/, otherwise authenticate by the SigV4 credential scope,
/// pick the service from it, apply faults, and render errors in the service's own format.
/// </summary>
internal sealed partial class RequestRouter(
    IReadOnlyDictionary<string, IServiceHandler> handlers,
    LocalCloudFaults faults,
    ControlApi control,
    SigV4Verifier verifier,
    IReadOnlyList<ITimeDrivenWork> timeDrivenWork,
    ILogger logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        if (context.Request.Path.StartsWithSegments("/_localcloud", StringComparison.Ordinal))
        {
            await control.HandleAsync(context, cancellationToken);
            return;
        }

        var requestId = ResourceIds.NewRequestId();
        var authorization = SigV4Authorization.TryParse(context.Request.Headers.Authorization.ToString())
            ?? SigV4Authorization.TryParseQuery(context.Request.Query);
        var handler = authorization is not null && handlers.TryGetValue(authorization.Service, out var byScope)
            ? byScope
            : await GuessHandlerAsync(context, cancellationToken);
        try
        {
            if (authorization is null)
            {
                throw handler.MissingAuthentication();
            }

            var account = LocalCloudAccounts.AccountOf(authorization.AccessKeyId) ?? throw handler.UnknownAccessKey();
            // As S3: a malformed presigned URL is refused for what is wrong with it before its signature is checked.
            if (SigV4Verifier.ProblemWithPresigned(context, authorization) is { } presignedProblem)
            {
                throw presignedProblem;
            }

            if (!await verifier.VerifyAsync(context, authorization, cancellationToken))
            {
                throw handler.SignatureMismatch();
            }

            if (verifier.CheckTime(context, authorization) is { } expired)
            {
                throw handler.RequestExpired(expired.RequestTime, expired.ServerTime, authorization.Presigned);
            }

            var caller = new CallerContext(authorization.AccessKeyId, account, authorization.Region, handler.Service, requestId);
            var operation = await handler.ResolveOperationAsync(context, cancellationToken);
            LogRequest(logger, handler.Service, operation, caller.Region, account);
            foreach (var work in timeDrivenWork)
            {
                work.RunDueWork();
            }

            var decision = faults.Decide(handler.Service, operation);
            if (decision.Fault is { } injected)
            {
                LogFault(logger, injected, handler.Service, operation);
            }

            if (decision.Bandwidth is { } limiter)
            {
                context.Request.Body = limiter.Limit(context.Request.Body);
            }

            if (decision.Latency > TimeSpan.Zero)
            {
                await Task.Delay(decision.Latency, cancellationToken);
            }

            switch (decision.Fault)
            {
                case FaultKind.Throttle:
                    throw handler.Throttled();
                case FaultKind.InternalError:
                    throw handler.InternalError();
                case FaultKind.ResetRequestBody:
                    await ResetWhileReadingAsync(context, cancellationToken);
                    return;
                case FaultKind.ResetResponse:
                    await ResetMidResponseAsync(context, () => handler.HandleAsync(context, caller, operation, cancellationToken), cancellationToken);
                    return;
                default:
                    await handler.HandleAsync(context, caller, operation, cancellationToken);
                    return;
            }
        }
        catch (AwsServiceException error)
        {
            LogError(logger, handler.Service, error.Code, error.StatusCode);
            await WriteErrorAsync(context, handler, error, requestId, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever broke, the client gets the service's own 500 rather than a bare connection error.
            LogUnexpected(logger, ex, handler.Service);
            await WriteErrorAsync(context, handler, handler.InternalError(), requestId, cancellationToken);
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, IServiceHandler handler, AwsServiceException error, string requestId, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        await handler.WriteErrorAsync(context, error, requestId, cancellationToken);
    }

    /// <summary>Reads part of the body, then drops the connection: the work is never done.</summary>
    private static async Task ResetWhileReadingAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        var length = context.Request.ContentLength ?? 0;
        if (length > 0)
        {
            // Reading less than asked is fine here: any part of the body is enough before the reset.
            _ = await context.Request.Body.ReadAtLeastAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, Math.Max(1, length / 2))), 1, throwOnEndOfStream: false, cancellationToken);
        }

        context.Abort();
    }

    /// <summary>Does the work, sends the status, headers and half the body, then drops the connection.</summary>
    private static async Task ResetMidResponseAsync(HttpContext context, Func<Task> work, CancellationToken cancellationToken)
    {
        var original = context.Response.Body;
        using var buffered = new MemoryStream();
        context.Response.Body = buffered;
        try
        {
            await work();
        }
        finally
        {
            context.Response.Body = original;
        }

        var bytes = buffered.ToArray();
        if (bytes.Length > 1)
        {
            context.Response.ContentLength = bytes.Length;
            await original.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), cancellationToken);
            await original.FlushAsync(cancellationToken);
        }

        context.Abort();
    }

    /// <summary>An unsigned request names no service; guess it from its shape so the error reads right.</summary>
    private async Task<IServiceHandler> GuessHandlerAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.Headers.ContainsKey("X-Amz-Target"))
        {
            return handlers["ssm"];
        }

        if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(cancellationToken);
            return form["Action"] == "GetCallerIdentity" ? handlers["sts"] : handlers["ec2"];
        }

        return handlers["s3"];
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Service} {Operation} in {Region} by {Account}")]
    private static partial void LogRequest(ILogger logger, string service, string operation, string region, string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Injected fault {Kind} into {Service} {Operation}")]
    private static partial void LogFault(ILogger logger, Faults.FaultKind kind, string service, string operation);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Service} answered {Code} ({Status})")]
    private static partial void LogError(ILogger logger, string service, string code, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service} request failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string service);
}
