using System.Runtime.InteropServices;
using ImagePipeline.Build.Host;
using ImagePipeline.Core.Parameters;
using ImagePipeline.Core.Plugins;

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

var environment = new HostEnvironment(
    // build.sh names the repository root; relative paths in parameters still resolve against the caller's folder.
    Environment.GetEnvironmentVariable("IMAGEPIPELINE_ROOT") is { Length: > 0 } root ? Path.GetFullPath(root) : HostEnvironment.FindRoot(Directory.GetCurrentDirectory()),
    PluginLoader.DefaultPluginsFolder,
    ParameterInputs.ProcessEnvironment(),
    Console.Out,
    Console.Error);
return await BuildHost.RunAsync(args, environment, cancellation.Token);
