// ImagePipeline's five build targets as Cake tasks, run in-process through the host's public runner (no build.sh):
//
//   dotnet tool restore && dotnet build build/_build.csproj
//   dotnet cake samples/cake/build.cake --target=RegisterImage --cloud=aws --bucket=my-bundles --ami-name="web {timestamp}" ...
//
// Every argument other than Cake's own is an ImagePipeline parameter: --bucket=x is --bucket x, a bare --force-deregister
// is --force-deregister true, a repeated argument becomes a comma-separated list. .nuke/parameters.json and
// IMAGEPIPELINE_* variables apply as they do for ./build.sh. With no arguments it is the offline demo bake.
//
// With --cloud=local and no --endpoint-url, each task starts the local cloud as a child process (localcloud/ beside the
// host) and stops it when the task ends; its state persists under .nuke/temp/localcloud/ from one task to the next. To
// keep one running across tasks, start it yourself (./build.sh LocalCloud --port 4566) and pass
// --cloud=local --endpoint-url=http://127.0.0.1:4566.
//
// Cake warns "Could not load ..._build.dll (missing Microsoft.Extensions.Logging.Abstractions ...)" while it scans the
// assembly for script aliases: the host is built on a newer Microsoft.Extensions than Cake's own, and
// ImagePipelineRunner runs the host in a load context of its own with its own copies. The warning is harmless.
#r "../../artifacts/bin/_build/debug/_build.dll"

using System.Text.Json;
using System.Threading;
using ImagePipeline.Host;

var target = Argument("target", "RegisterImage");

// Cake's own options; everything else goes to the host.
var cakeOptions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
{
    "target", "t", "verbosity", "v", "showdescription", "description", "dryrun", "noop", "whatif", "exclusive", "e",
    "debug", "d", "bootstrap", "skip-bootstrap", "version", "info", "tree", "help", "h", "working", "w",
};
var parameters = Context.Arguments.GetArguments()
    .Where(argument => !cakeOptions.Contains(argument.Key))
    .ToDictionary(
        argument => argument.Key,
        argument => argument.Value.All(string.IsNullOrEmpty) ? "true" : string.Join(",", argument.Value),
        StringComparer.Ordinal);

// One pipeline run across the tasks: the first task starts it and each later task resumes it towards its own target,
// so no target is done twice (a resumed run skips the steps that completed). The host's --output-json summary gives
// the run id; a step whose cleanup undid its work (staged keys are always removed) simply runs again.
// Ctrl+C cancels the running target the way it does under ./build.sh: its cleanups still run before Cake stops.
var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var summaryFile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"imagepipeline-cake-{Guid.NewGuid():N}.json");
string runId = null;
IReadOnlyDictionary<string, string> outputs = new Dictionary<string, string>();

async Task RunPipelineTarget(string pipelineTarget)
{
    var arguments = new Dictionary<string, string>(parameters, StringComparer.Ordinal) { ["output-json"] = summaryFile };
    if (runId is not null)
    {
        arguments["resume"] = runId;
    }

    var exitCode = await ImagePipelineRunner.RunAsync(pipelineTarget, arguments, cancellationToken: cancellation.Token);
    if (exitCode != 0)
    {
        throw new CakeException(exitCode, $"ImagePipeline {pipelineTarget} failed with exit code {exitCode}; the reason is printed above.");
    }

    using var summary = JsonDocument.Parse(System.IO.File.ReadAllText(summaryFile));
    runId = summary.RootElement.GetProperty("runId").GetString();
    outputs = summary.RootElement.GetProperty("outputs").EnumerateObject().ToDictionary(output => output.Name, output => output.Value.GetString());
}

Task("PrepareBucket")
    .Description("Create or check the S3 bucket for the bundle.")
    .Does(() => RunPipelineTarget("PrepareBucket"));

Task("CopyCertificates")
    .Description("Stage the X.509 certificate and key the bundle is signed with.")
    .IsDependentOn("PrepareBucket")
    .Does(() => RunPipelineTarget("CopyCertificates"));

Task("BundleVolume")
    .Description("Bundle the volume (or capture the instance).")
    .IsDependentOn("CopyCertificates")
    .Does(() => RunPipelineTarget("BundleVolume"));

Task("UploadBundle")
    .Description("Upload the bundle's parts and manifest.")
    .IsDependentOn("BundleVolume")
    .Does(() => RunPipelineTarget("UploadBundle"));

Task("RegisterImage")
    .Description("Register the image and wait until it is available.")
    .IsDependentOn("UploadBundle")
    .Does(async () =>
    {
        await RunPipelineTarget("RegisterImage");
        Information("Image {0} registered (run {1}).", outputs.TryGetValue("image-id", out var imageId) ? imageId : "(none)", runId);
    });

Teardown(_ =>
{
    if (System.IO.File.Exists(summaryFile))
    {
        System.IO.File.Delete(summaryFile);
    }
});

RunTarget(target);
