using Amazon.EC2.Model;
using CustomStrategy.State;
using ImagePipeline.Abstractions;

namespace CustomStrategy.Steps;

/// <summary>RegisterImage: CreateImage registered the image already; this waits until AWS marks it available and publishes its id.</summary>
public sealed class WaitForImageAvailable(ICloudClients clients, ResourceWaiter waiter) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var imageId = context.State.Get(TaggedEbsState.ImageId);
        using (var progress = context.Progress.Start($"Waiting for {imageId} to be available", 100, ProgressUnit.Percent))
        {
            await waiter.WaitAsync(
                $"image {imageId}",
                async token =>
                {
                    var response = await clients.Ec2().DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] }, token);
                    var state = response.Images?.FirstOrDefault()?.State?.Value;
                    return state switch
                    {
                        "available" => WaitProbe<string>.Done(imageId),
                        "failed" or "invalid" or "error" => WaitProbe<string>.Failed($"AWS marked it {state}"),
                        _ => WaitProbe<string>.Pending(state ?? "not visible yet"),
                    };
                },
                context.Parameters.Get(CommonParameters.PollDelay),
                context.Parameters.Get(CommonParameters.MaxWait),
                progress,
                cancellationToken);
        }

        context.Outputs.Set(WellKnownOutputs.ImageId, imageId);
        context.Outputs.Set(WellKnownOutputs.Region, clients.Region);
        context.Note = imageId;
    }
}
