// ImagePipeline's five build targets as Cake tasks, through the typed API of the ImagePipeline package:
//
//   dotnet cake build.cake --target=RegisterImage                       (the offline demo bake, against the local cloud)
//   dotnet cake build.cake --cloud=aws --region=eu-west-1 --bucket=my-bundles --ami-name="web {timestamp}" --image-file=disk.img ...
//
// Only the arguments named below reach ImagePipeline, so the build's own arguments (--configuration=Release, ...) are
// its business. Anything not given comes from IMAGEPIPELINE_* variables and .nuke/parameters.json, as for the
// imagepipeline command; relative paths resolve against the current folder. With --cloud=local (the default) each task
// starts the local cloud as a child process (localcloud/ in the package) unless --endpoint-url names a running one.
#addin nuget:?package=ImagePipeline&version=0.1.0&loaddependencies=true

using ImagePipeline;
using ImagePipeline.Abstractions;
using ImagePipeline.Aws;

var target = Argument("target", "RegisterImage");
var configuration = Argument("configuration", "Release");

ImagePipelineSettings Settings(ImagePipelineSettings s)
{
    s = Optional("cloud", value => s.SetCloud(value == "aws" ? CloudKind.Aws : CloudKind.Local)) ?? s;
    s = Optional("endpoint-url", value => s.SetEndpointUrl(new Uri(value))) ?? s;
    s = Optional("region", s.SetRegion) ?? s;
    s = Optional("backing-store", value => s.SetBackingStore(value == "ebs" ? BackingStore.Ebs : BackingStore.InstanceStore)) ?? s;
    s = Optional("platform", value => s.SetPlatform(value == "windows" ? Platform.Windows : Platform.Linux)) ?? s;
    s = Optional("ami-name", s.SetAmiName) ?? s;
    s = Optional("bucket", s.SetBucket) ?? s;
    s = Optional("image-file", s.SetImageFile) ?? s;
    s = Optional("instance-id", s.SetInstanceId) ?? s;
    s = Optional("account-id", s.SetAccountId) ?? s;
    s = Optional("x509-cert-path", s.SetX509CertPath) ?? s;
    s = Optional("x509-key-path", s.SetX509KeyPath) ?? s;
    s = Optional("ec2-cert-path", s.SetEc2CertPath) ?? s;
    s = Optional("poll-delay", value => s.SetPollDelay(TimeSpan.FromSeconds(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)))) ?? s;
    return s;
}

ImagePipelineSettings Optional(string name, Func<string, ImagePipelineSettings> set) =>
    HasArgument(name) ? set(Argument<string>(name)) : null;

// One pipeline run across the tasks: the first task starts it and each later task resumes it towards its own target,
// so no target is done twice. A failure throws ImagePipelineException (its Kind is the command's exit code), which
// fails the task.
string runId = null;
ImagePipelineResult Run(Func<Func<ImagePipelineSettings, ImagePipelineSettings>, ImagePipelineResult> task)
{
    var result = task(s => runId is null ? Settings(s) : Settings(s).SetResume(runId));
    runId = result.RunId;
    return result;
}

Task("PrepareBucket")
    .Description("Create or check the S3 bucket for the bundle.")
    .Does(() => Run(ImagePipelineTasks.PrepareBucket));

Task("CopyCertificates")
    .Description("Stage the X.509 certificate and key the bundle is signed with.")
    .IsDependentOn("PrepareBucket")
    .Does(() => Run(ImagePipelineTasks.CopyCertificates));

Task("BundleVolume")
    .Description("Bundle the volume (or capture the instance).")
    .IsDependentOn("CopyCertificates")
    .Does(() => Run(ImagePipelineTasks.BundleVolume));

Task("UploadBundle")
    .Description("Upload the bundle's parts and manifest.")
    .IsDependentOn("BundleVolume")
    .Does(() => Run(ImagePipelineTasks.UploadBundle));

Task("RegisterImage")
    .Description("Register the image and wait until it is available.")
    .IsDependentOn("UploadBundle")
    .Does(() =>
    {
        var result = Run(ImagePipelineTasks.RegisterImage);
        Information("Image {0} registered (run {1}, {2} build).", result.ImageId, result.RunId, configuration);
    });

RunTarget(target);
