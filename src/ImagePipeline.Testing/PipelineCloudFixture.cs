namespace ImagePipeline.Testing;

/// <summary>
/// A local cloud for running the pipeline in-process (<see cref="PipelineHarness"/> with <c>TimeProvider =
/// cloud.Time</c>): short delays, and a clock that skips every wait, so polling an image until it is available takes
/// no real time.
/// </summary>
public class PipelineCloudFixture : LocalCloudFixture
{
    public PipelineCloudFixture()
    {
        // From the machine's time: the run checks certificates and signatures made with it.
        Clock = new TestClock(DateTimeOffset.UtcNow) { SkipsWaits = true };
        ImageAvailableDelay = TimeSpan.FromMilliseconds(600);
        InstanceTransitionDelay = TimeSpan.FromMilliseconds(300);
        SnapshotCompletionDelay = TimeSpan.FromMilliseconds(400);
        BundleTaskStepDelay = TimeSpan.FromMilliseconds(200);
    }
}
