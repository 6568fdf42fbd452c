using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore;

/// <summary>The cleanup every UploadBundle step shares: delete what this run uploaded when it is undone before an image was registered from it.</summary>
public static class UploadedBundleCleanup
{
    public static async Task<CleanupOutcome> RunAsync(StepContext context, ICloudClients clients, CancellationToken cancellationToken)
    {
        var keys = context.State.GetOrDefault(InstanceStoreState.UploadedKeys, []);
        if (keys.Length == 0)
        {
            return CleanupOutcome.NothingToUndo;
        }

        // An image registered from these objects still needs them; RegisterImage's cleanup forgets the image once it is deregistered.
        if (!context.ShouldUndo || context.State.Contains(InstanceStoreState.RegisteredImageId))
        {
            return CleanupOutcome.Kept;
        }

        await UploadedObjects.DeleteAsync(clients.S3(), context.Parameters.Get(InstanceStoreParameters.Bucket), keys, cancellationToken);
        context.State.Remove(InstanceStoreState.UploadedKeys);
        context.State.Remove(InstanceStoreState.ManifestLocation);
        context.Outputs.Remove(WellKnownOutputs.ManifestLocation);
        return CleanupOutcome.Undone;
    }
}
