using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Images;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>Waits until the captured image is available; a failed image fails the step with AWS's reason.</summary>
public sealed class WaitForImageAvailable(ICloudClients clients, ImageWaiter waiter) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var image = context.State.Get(EbsState.CapturedImage);
        using var progress = context.Progress.Start($"Waiting for {image.ImageId} to be available", 100, ProgressUnit.Percent);
        await waiter.WaitUntilAvailableAsync(clients.Region, image.ImageId, WaitSettings.From(context.Parameters), progress, cancellationToken);
        context.Note = $"{image.ImageId} available";
    }
}
