using Amazon.Runtime;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.Ebs;

/// <summary>Turns an AWS error into one sentence that says what the step was doing and what to try, instead of the SDK's bare message.</summary>
internal static class AwsFailure
{
    public static PipelineException During(string action, AmazonServiceException exception)
    {
        var hint = exception.ErrorCode switch
        {
            "UnauthorizedOperation" or "AccessDenied" or "AccessDeniedException" =>
                " The credentials are not allowed to do this: grant the missing permission to the role or user, then run again with --resume.",
            "RequestLimitExceeded" or "Throttling" or "ThrottlingException" =>
                " AWS kept throttling the call through every attempt: raise --max-attempts (or use --retry-mode adaptive) and run again with --resume.",
            _ when (int)exception.StatusCode >= 500 =>
                " This is an error on AWS's side: run again with --resume.",
            _ => string.Empty,
        };
        return new PipelineException($"{action} failed: {exception.Message.TrimEnd('.')} ({exception.ErrorCode}).{hint}", exception);
    }
}
