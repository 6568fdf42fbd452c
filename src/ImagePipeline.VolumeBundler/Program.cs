using System.Runtime.InteropServices;
using ImagePipeline.Abstractions;
using ImagePipeline.VolumeBundler;
using ImagePipeline.VolumeBundler.Reporting;

// Exit codes: 0 done, 2 fix the input (one line on stderr says how), 1 failed, 130/143 interrupted by SIGINT/SIGTERM.
var report = new EventReport(Console.OpenStandardOutput());
using var cancellation = new CancellationTokenSource();
var signalExitCode = 0;
void OnSignal(PosixSignalContext context)
{
    // Cancel instead of dying, so that the cleanup unmounts, detaches and deletes what the run made.
    context.Cancel = true;
    signalExitCode = 128 + (context.Signal == PosixSignal.SIGTERM ? 15 : 2);
    cancellation.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

int Fail(int exitCode, string message)
{
    Console.Error.WriteLine(message);
    report.Write(new ErrorEvent(exitCode, message));
    return exitCode;
}

try
{
    var options = VolumeBundlerCommandLine.Parse(args);
    if (options is null)
    {
        Console.Error.WriteLine(VolumeBundlerCommandLine.Usage);
        return 0;
    }

    await new VolumeBundlerRun(options, report).RunAsync(cancellation.Token);
    return 0;
}
catch (OperationCanceledException) when (signalExitCode != 0)
{
    return Fail(signalExitCode, "Interrupted; the image, the loop device, the mount and the parts were removed.");
}
catch (PipelineException ex)
{
    return Fail(ex.Kind == PipelineErrorKind.Input ? 2 : 1, ex.Message);
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
{
    return Fail(1, "Bundling the volume failed: " + ex.Message);
}
