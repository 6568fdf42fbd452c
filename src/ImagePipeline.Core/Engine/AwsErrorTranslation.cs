using System.Text;
using Amazon.Runtime;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Engine;

/// <summary>
/// Turns an AWS error that escaped a step into the one sentence users see: which step, AWS's own message and code, and
/// the fix for the common causes. Steps let AWS errors go, so this is the only place they are phrased.
/// </summary>
public static class AwsErrorTranslation
{
    /// <summary>True when AWS answered (a status code): an endpoint that never answered is the host's "could not be reached" line instead.</summary>
    public static bool IsAnswer(AmazonServiceException exception) => exception.StatusCode != 0;

    /// <summary>The error of a step's run (<paramref name="resumable"/>: the fix is a <c>--resume</c>) or of its validation.</summary>
    public static PipelineException Translate(Type stepType, AmazonServiceException exception, bool resumable)
    {
        var again = resumable ? "run again with --resume" : "run again";
        var hint = exception.ErrorCode switch
        {
            "UnauthorizedOperation" or "AccessDenied" or "AccessDeniedException" =>
                $" The credentials are not allowed to do this: grant the missing permission to the role or user, then {again}.",
            "RequestLimitExceeded" or "Throttling" or "ThrottlingException" or "SlowDown" =>
                $" AWS kept throttling the call through every attempt: raise --max-attempts (or use --retry-mode adaptive) and {again}.",
            _ when (int)exception.StatusCode >= 500 =>
                $" This is an error on AWS's side: {again}.",
            _ => string.Empty,
        };
        var message = string.IsNullOrWhiteSpace(exception.Message) ? $"HTTP {(int)exception.StatusCode}" : exception.Message.ReplaceLineEndings(" ").TrimEnd('.', ' ');
        var code = string.IsNullOrEmpty(exception.ErrorCode) ? string.Empty : $" ({exception.ErrorCode})";
        var activity = resumable ? Describe(stepType) : $"Checking before the run ({Describe(stepType).ToLowerInvariant()})";
        return new PipelineException($"{activity} failed: {message}{code}.{hint}", exception);
    }

    /// <summary>A step's class name in words: steps are named for what they do, so <c>StopSourceInstance</c> reads "Stop source instance".</summary>
    public static string Describe(Type stepType)
    {
        var name = stepType.Name;
        var words = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (i > 0 && char.IsUpper(c) && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                words.Append(' ');
                c = i + 1 < name.Length && char.IsUpper(name[i + 1]) ? c : char.ToLowerInvariant(c);
            }

            words.Append(c);
        }

        return words.ToString();
    }
}
