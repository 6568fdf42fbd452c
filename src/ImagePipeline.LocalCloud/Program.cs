using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ImagePipeline.LocalCloud;

/// <summary>
/// The local cloud as a process of its own:
/// <c>dotnet ImagePipeline.LocalCloud.dll --state-dir DIR [--port N] [--reset] [--verbose] [--exit-when-stdin-closes]
/// [--instance-ssh-address ADDR] [--authorized-keys-file PATH] [--attached-volume-dir DIR]</c>.
/// Its first line on standard output is <c>{"endpoint":"http://127.0.0.1:PORT/"}</c> once it listens; logs go to standard error.
/// </summary>
/// <remarks>
/// A parent (the build host) passes <c>--exit-when-stdin-closes</c> and keeps the pipe open: the server stops when the
/// parent closes it or dies, however it dies, so it never outlives the run. It then ignores Ctrl+C and SIGTERM, which
/// reach the whole process group: the parent's cleanups still need the cloud, and the parent alone says when to stop.
/// </remarks>
internal static class Program
{
    private const string Usage = "usage: ImagePipeline.LocalCloud --state-dir DIR [--port N (0 picks a free one)] [--reset] [--verbose] [--exit-when-stdin-closes] [--instance-ssh-address ADDR] [--authorized-keys-file PATH] [--attached-volume-dir DIR]";

    public static async Task<int> Main(string[] args)
    {
        string? stateDirectory = null, instanceSshAddress = null, authorizedKeysFile = null, attachedVolumeDirectory = null;
        var port = 0;
        bool reset = false, verbose = false, exitWhenStdinCloses = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--state-dir" when i + 1 < args.Length:
                    stateDirectory = Path.GetFullPath(args[++i]);
                    break;
                case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535:
                    i++;
                    break;
                case "--instance-ssh-address" when i + 1 < args.Length && System.Net.IPAddress.TryParse(args[i + 1], out _):
                    instanceSshAddress = args[++i];
                    break;
                case "--authorized-keys-file" when i + 1 < args.Length:
                    authorizedKeysFile = Path.GetFullPath(args[++i]);
                    break;
                case "--attached-volume-dir" when i + 1 < args.Length:
                    attachedVolumeDirectory = Path.GetFullPath(args[++i]);
                    break;
                case "--reset":
                    reset = true;
                    break;
                case "--verbose":
                    verbose = true;
                    break;
                case "--exit-when-stdin-closes":
                    exitWhenStdinCloses = true;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"error: unexpected argument '{args[i]}'.{Environment.NewLine}{Usage}");
                    return 2;
            }
        }

        if (stateDirectory is null)
        {
            await Console.Error.WriteLineAsync($"error: --state-dir is required.{Environment.NewLine}{Usage}");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            if (!exitWhenStdinCloses)
            {
                stop.Cancel();
            }
        };
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            if (!exitWhenStdinCloses)
            {
                stop.Cancel();
            }
        });
        if (exitWhenStdinCloses)
        {
            _ = Task.Run(async () =>
            {
                await using var input = Console.OpenStandardInput();
                await input.CopyToAsync(Stream.Null);
                await stop.CancelAsync();
            });
        }

        using var loggerFactory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        try
        {
            await LocalCloudServer.RunUntilCancelledAsync(
                new LocalCloudOptions
                {
                    DataDirectory = stateDirectory,
                    Port = port,
                    Reset = reset,
                    LoggerFactory = loggerFactory,
                    InstanceSshAddress = instanceSshAddress,
                    AuthorizedKeysFile = authorizedKeysFile,
                    AttachedVolumeDirectory = attachedVolumeDirectory,
                },
                Console.Out,
                stop.Token);
            return 0;
        }
        catch (IOException exception)
        {
            // Most often the port is taken.
            await Console.Error.WriteLineAsync($"error: the local cloud could not start: {exception.Message}");
            return 1;
        }
    }
}
