using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.State;

namespace ImagePipeline.Strategies.InstanceStore.Uploads;

/// <summary>
/// The cleanup every UploadBundle step shares: delete what this run uploaded when it is undone before an image was
/// registered from it; only objects it can prove it made (<see cref="UploadedObjects.DeleteOwnAsync"/>).
/// </summary>
public static class UploadedBundleCleanup
{
    /// <returns>The outcome, and how many objects were deleted.</returns>
    public static async Task<(CleanupOutcome Outcome, int Deleted)> RunAsync(StepContext context, ICloudClients clients, CancellationToken cancellationToken)
    {
        var keys = context.State.GetOrDefault(InstanceStoreState.UploadedKeys, []);
        if (keys.Length == 0)
        {
            return (CleanupOutcome.NothingToUndo, 0);
        }

        // An image registered from these objects still needs them; RegisterImage's cleanup forgets the image once it is deregistered.
        if (!context.ShouldUndo || context.State.Contains(InstanceStoreState.RegisteredImageId))
        {
            return (CleanupOutcome.Kept, 0);
        }

        var deleted = await UploadedObjects.DeleteOwnAsync(
            clients.S3(),
            context.Parameters.Get(InstanceStoreParameters.Bucket),
            keys,
            context.RunId,
            context.State.GetOrDefault(InstanceStoreState.UnmarkedUploadsAreOurs, false),
            context.Logger,
            cancellationToken);
        context.State.Remove(InstanceStoreState.UploadedKeys);
        context.State.Remove(InstanceStoreState.ManifestLocation);
        context.State.Remove(InstanceStoreState.UnmarkedUploadsAreOurs);
        context.Outputs.Remove(WellKnownOutputs.ManifestLocation);
        return (CleanupOutcome.Undone, deleted);
    }
}
