using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Launching;

/// <summary>
/// Finds the base image of <c>--source-ami</c> or <c>--source-ami-filter</c>: the same answer in validation (so bad input
/// is exit 2 with nothing launched) and in the run.
/// </summary>
public sealed class SourceImages(ICloudClients clients)
{
    /// <summary>How many matches an error lists before "and N more".</summary>
    private const int Listed = 10;

    /// <summary>The image, or a <see cref="PipelineException"/> of kind input saying why there is none (or several).</summary>
    public async Task<SourceImage> ResolveAsync(IParameterValues parameters, CancellationToken cancellationToken)
    {
        if (parameters.TryGet(CommonParameters.SourceAmi, out var imageId))
        {
            return Describe(await FindByIdAsync(imageId, cancellationToken)
                ?? throw PipelineException.Input($"--source-ami {imageId}: no such image in {clients.Region}, or you may not launch it; check the id and the region."));
        }

        var filter = SourceImageFilter.Parse(parameters.Get(CommonParameters.SourceAmiFilter));
        var request = new DescribeImagesRequest { Filters = [new Filter("state", ["available"])] };
        if (filter.Owners.Count > 0)
        {
            request.Owners = [.. filter.Owners];
        }

        AddFilter(request, "name", filter.Name);
        AddFilter(request, "architecture", filter.Architecture);
        AddFilter(request, "virtualization-type", filter.VirtualizationType);
        AddFilter(request, "root-device-type", filter.RootDeviceType);

        var matches = new List<Image>();
        do
        {
            var response = await clients.Ec2().DescribeImagesAsync(request, cancellationToken);
            matches.AddRange(response.Images ?? []);
            request.NextToken = response.NextToken;
        }
        while (!string.IsNullOrEmpty(request.NextToken));

        var newestFirst = matches.OrderByDescending(image => CreatedAt(image)).ThenBy(image => image.ImageId, StringComparer.Ordinal).ToList();
        if (newestFirst.Count == 0)
        {
            throw PipelineException.Input($"--source-ami-filter {string.Join(',', parameters.Get(CommonParameters.SourceAmiFilter))} matches no available image in {clients.Region}; check the name pattern and the owners.");
        }

        if (newestFirst.Count > 1 && !parameters.Get(LaunchParameters.SourceAmiMostRecent))
        {
            var listed = newestFirst.Take(Listed).Select(image => $"{image.ImageId} ({image.Name}, created {image.CreationDate})");
            var more = newestFirst.Count > Listed ? $" and {newestFirst.Count - Listed} more" : string.Empty;
            throw PipelineException.Input(
                $"--source-ami-filter matches {newestFirst.Count} images in {clients.Region}: {string.Join(", ", listed)}{more}; narrow the filter, give one with --source-ami, or add {LaunchParameters.SourceAmiMostRecent} to take the newest.");
        }

        return Describe(newestFirst[0]);
    }

    private async Task<Image?> FindByIdAsync(string imageId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await clients.Ec2().DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] }, cancellationToken);
            return (response.Images ?? []).FirstOrDefault(image => image.ImageId == imageId);
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode is "InvalidAMIID.NotFound" or "InvalidAMIID.Unavailable")
        {
            return null;
        }
    }

    private static void AddFilter(DescribeImagesRequest request, string name, string? value)
    {
        if (value is not null)
        {
            request.Filters.Add(new Filter(name, [value]));
        }
    }

    private static DateTimeOffset CreatedAt(Image image) =>
        DateTimeOffset.TryParse(image.CreationDate, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created) ? created : DateTimeOffset.MinValue;

    private static SourceImage Describe(Image image) =>
        image.State is { } state && state != ImageState.Available
            ? throw PipelineException.Input($"Base image {image.ImageId} ({image.Name}) is {state.Value}, not available; launch from an available image.")
            : new SourceImage(
                image.ImageId,
                image.Name ?? image.ImageId,
                image.Architecture?.Value ?? "x86_64",
                image.RootDeviceType?.Value ?? "ebs",
                string.Equals(image.Platform?.Value, "windows", StringComparison.OrdinalIgnoreCase));
}
