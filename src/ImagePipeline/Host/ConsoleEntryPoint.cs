using System.Runtime.InteropServices;
using ImagePipeline.Core.Parameters;

namespace ImagePipeline.Host;

/// <summary>The console program behind <c>imagepipeline</c> and this repository's <c>./build.sh</c>.</summary>
public static class ConsoleEntryPoint
{
    /// <summary>Runs the command line in the current folder with the process's environment and console; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);

        // Ctrl+C (SIGINT) and SIGTERM cancel the run; cleanups still run (they get their own token), then the exit code is 130.
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancellation.Cancel();
        });

        var environment = HostEnvironment.ForCurrentFolder(ParameterInputs.ProcessEnvironment(), Console.Out, Console.Error);
        return await BuildHost.RunAsync(args, environment, cancellation.Token);
    }
}
