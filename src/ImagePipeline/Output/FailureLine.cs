using System.Net.Http;
using System.Net.Sockets;
using ImagePipeline.Core.Engine;

namespace ImagePipeline.Output;

/// <summary>The one line the host prints for a failure it did not expect, whichever phase threw it.</summary>
internal static class FailureLine
{
    public static string Describe(Exception exception) =>
        IsUnreachable(exception)
            ? $"The cloud endpoint could not be reached ({StepEngine.OneLine(Innermost(exception))}); check the network, --endpoint-url and --region, then run again."
            : StepEngine.OneLine(exception);

    /// <summary>DNS failures, refused and reset connections: the SDK lets them through as they are, or wrapped once.</summary>
    public static bool IsUnreachable(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException or SocketException)
            {
                return true;
            }
        }

        return false;
    }

    private static Exception Innermost(Exception exception)
    {
        var current = exception;
        while (current.InnerException is not null && current is not HttpRequestException)
        {
            current = current.InnerException;
        }

        return current;
    }
}
