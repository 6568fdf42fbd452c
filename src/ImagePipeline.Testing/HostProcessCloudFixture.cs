namespace ImagePipeline.Testing;

/// <summary>
/// A local cloud for a pipeline run by another process (the console host, a workflow step): that process waits on the
/// machine's clock, so the cloud runs on it too, with delays short enough that its polls end quickly.
/// </summary>
public sealed class HostProcessCloudFixture : LocalCloudFixture
{
    public HostProcessCloudFixture()
    {
        UsesRealTime = true;
        ImageAvailableDelay = TimeSpan.FromMilliseconds(200);
        InstanceTransitionDelay = TimeSpan.FromMilliseconds(200);
        SnapshotCompletionDelay = TimeSpan.FromMilliseconds(200);
        BundleTaskStepDelay = TimeSpan.FromSeconds(1);
    }
}
