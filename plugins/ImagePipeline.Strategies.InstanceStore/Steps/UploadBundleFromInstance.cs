using System.Net;
using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.Ssh;
using ImagePipeline.Strategies.InstanceStore.State;
using ImagePipeline.Strategies.InstanceStore.Uploads;

namespace ImagePipeline.Strategies.InstanceStore.Steps;

/// <summary>
/// UploadBundle from the instance: runs --upload-bundle-command (ec2-upload-bundle by default) there, which uploads with
/// the instance role; no AWS secret is ever put on the remote command line. What it uploaded is deleted when the run is undone.
/// </summary>
public sealed partial class UploadBundleFromInstance(ICloudClients clients, IRemoteShell shell) : IPipelineStep
{
    public static readonly IReadOnlyList<string> Placeholders = ["bucket", "prefix", "manifest", "region"];

    public ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var template = context.Parameters.Get(InstanceStoreParameters.UploadBundleCommand);
        var unknown = CommandTemplate.UnknownPlaceholders(template, Placeholders);
        if (unknown.Count > 0)
        {
            context.AddError($"--upload-bundle-command uses {string.Join(", ", unknown.Select(name => "{" + name + "}"))}, which are not known; use {string.Join(" ", Placeholders.Select(name => "{" + name + "}"))}.");
        }

        if (CarriesCredentials().IsMatch(template))
        {
            context.AddError("--upload-bundle-command must not carry AWS keys (they would sit in the instance's process list and logs); let it use the instance role, or pass --upload-from host.");
        }

        return ValueTask.CompletedTask;
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var bucket = parameters.Get(InstanceStoreParameters.Bucket);
        var bundle = context.State.Get(InstanceStoreState.RemoteBundle);
        var prefix = BundlePrefixes.Of(context);
        var manifestKey = $"{prefix}/{bundle.ManifestFileName}";

        // ec2-upload-bundle cannot tag what it uploads with the run id: the prefix must be free before it starts (or hold
        // only what an earlier attempt of this run's command put there), so that what is there afterwards is this run's.
        if (!context.State.GetOrDefault(InstanceStoreState.UnmarkedUploadsAreOurs, false))
        {
            if (await BundlePrefixes.FirstObjectUnderAsync(clients.S3(), bucket, prefix, cancellationToken) is { } taken)
            {
                throw PipelineException.Input($"s3://{bucket}/{taken} already exists, and this run did not put it there; nothing was uploaded. Pick another --bundle-prefix.");
            }

            context.State.Set(InstanceStoreState.UnmarkedUploadsAreOurs, true);
        }

        // Recorded before the command runs, so that whatever it manages to upload is known to the cleanup.
        context.State.Set(InstanceStoreState.UploadedKeys, [.. bundle.PartFileNames.Select(name => $"{prefix}/{name}"), manifestKey]);
        await context.CheckpointAsync(cancellationToken);

        var command = CommandTemplate.Fill(parameters.Get(InstanceStoreParameters.UploadBundleCommand), new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["bucket"] = bucket,
            ["prefix"] = prefix,
            ["manifest"] = bundle.PathOf(bundle.ManifestFileName),
            ["region"] = clients.Region,
        });
        await using (var connection = await shell.ConnectAsync(InstanceSource.Ssh(context), context.Logger, cancellationToken))
        {
            await connection.RunCheckedAsync(command, "Uploading the bundle from the instance", cancellationToken);
        }

        try
        {
            await clients.S3().GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = manifestKey }, cancellationToken);
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            throw new PipelineException($"The upload command finished, but s3://{bucket}/{manifestKey} is not there; check --upload-bundle-command and the instance role's S3 permissions.", exception);
        }

        var location = $"{bucket}/{manifestKey}";
        context.State.Set(InstanceStoreState.ManifestLocation, location);
        context.Outputs.Set(WellKnownOutputs.ManifestLocation, location);
        context.Outputs.Set(WellKnownOutputs.Bucket, bucket);
        context.Note = $"{bundle.PartFileNames.Count} parts from the instance";
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken) =>
        (await UploadedBundleCleanup.RunAsync(context, clients, cancellationToken)).Outcome;

    [GeneratedRegex(@"(^|\s)(-s|-a|--secret-key|--access-key|--delegation-token)(\s|=)|AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|AWS_SESSION_TOKEN", RegexOptions.IgnoreCase)]
    private static partial Regex CarriesCredentials();
}
