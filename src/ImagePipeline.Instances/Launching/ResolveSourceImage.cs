using Amazon.EC2;
using Amazon.EC2.Model;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Launching;

/// <summary>
/// LaunchInstance: finds the base image (<c>--source-ami</c>, or the one <c>--source-ami-filter</c> matches) and checks,
/// before anything is launched, everything the launch depends on: the image's platform and root device, the instance
/// type's architectures and whether it boots an instance-store root, the user data, the subnet.
/// </summary>
public sealed class ResolveSourceImage(SourceImages images, ICloudClients clients) : IPipelineStep
{
    /// <summary>EC2's limit on user data, before base64.</summary>
    private const int MaxUserDataBytes = 16 * 1024;

    private const string InstanceStoreRoot = "instance-store";

    /// <summary>The smallest x86_64 type that boots an instance-store-backed image, HVM or paravirtual.</summary>
    private const string InstanceStoreDefaultType = "m3.medium";

    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        if (parameters.TryGet(LaunchParameters.UserDataFile, out var userData))
        {
            // MaxUserDataBytes is EC2's limit, so the size named in the error is EC2's too.
            if (InputFile.Problem(Path.GetFullPath(userData), $"{LaunchParameters.UserDataFile} {userData}", MaxUserDataBytes) is { } problem)
            {
                context.AddError(problem);
            }
        }

        if (parameters.TryGet(LaunchParameters.SubnetId, out var subnetId) && await FindSubnetAsync(subnetId, cancellationToken) is null)
        {
            context.AddError($"{LaunchParameters.SubnetId} {subnetId}: no such subnet in {clients.Region}.");
        }

        SourceImage image;
        try
        {
            image = await images.ResolveAsync(parameters, cancellationToken);
        }
        catch (PipelineException exception) when (exception.Kind == PipelineErrorKind.Input)
        {
            context.AddError(exception.Message);
            return;
        }

        foreach (var problem in ImageProblems(image, parameters))
        {
            context.AddError(problem);
        }

        var instanceType = InstanceTypeFor(image, parameters);
        var offered = await DescribeInstanceTypeAsync(instanceType, cancellationToken);
        var architectures = offered?.ProcessorInfo?.SupportedArchitectures ?? [];
        if (offered is null)
        {
            context.AddError($"{LaunchParameters.InstanceType} {instanceType} is not an instance type offered in {clients.Region}.");
        }
        else if (!architectures.Contains(image.Architecture, StringComparer.Ordinal))
        {
            context.AddError($"{LaunchParameters.InstanceType} {instanceType} runs {string.Join(" and ", architectures)}, and base image {image.ImageId} is {image.Architecture}; pick an instance type for {image.Architecture} ({(image.Architecture == "arm64" ? "t4g.micro" : "t3.micro")}, for example).");
        }
        else if (image.RootDeviceType == InstanceStoreRoot && !(offered.SupportedRootDeviceTypes ?? []).Contains(InstanceStoreRoot, StringComparer.Ordinal))
        {
            context.AddError($"{LaunchParameters.InstanceType} {instanceType} cannot boot from an instance-store root device, and base image {image.ImageId} is instance-store-backed; pick an instance type with instance store ({InstanceStoreDefaultType}, for example).");
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(LaunchState.SourceImage, out var image))
        {
            image = await images.ResolveAsync(context.Parameters, cancellationToken);
            context.State.Set(LaunchState.SourceImage, image);
        }

        context.Logger.SourceImageChosen(image.ImageId, image.Name, image.Architecture, image.RootDeviceType);
        context.Note = image.ImageId;
    }

    /// <summary>
    /// --instance-type, or the smallest general-purpose type of the image's architecture; for an instance-store-backed
    /// image, the smallest that boots one (AWS runs those only on types with instance store).
    /// </summary>
    public static string InstanceTypeFor(SourceImage image, IParameterValues parameters) =>
        parameters.TryGet(LaunchParameters.InstanceType, out var given) ? given
        : image.Architecture == "arm64" ? "t4g.micro"
        : image.RootDeviceType == InstanceStoreRoot ? InstanceStoreDefaultType
        : "t3.micro";

    /// <summary>What the image itself rules out for this run: the wrong platform, or an instance-store Windows root for an EBS image.</summary>
    private static IEnumerable<string> ImageProblems(SourceImage image, IParameterValues parameters)
    {
        var platform = parameters.Get(CommonParameters.Platform);
        if (image.IsWindows != (platform == Platform.Windows))
        {
            yield return $"Base image {image.ImageId} ({image.Name}) is a {(image.IsWindows ? "Windows" : "Linux")} image, and the run has --platform {KebabCase.From(platform.ToString())}; pass --platform {(image.IsWindows ? "windows" : "linux")}, or launch from another image.";
        }

        // An instance-store Linux instance is imaged onto a new volume by the EBS strategy; AWS has no way for Windows.
        if (parameters.Get(CommonParameters.BackingStore) == BackingStore.Ebs && image.RootDeviceType == "instance-store" && image.IsWindows)
        {
            yield return InstanceStoreRules.WindowsToEbs(image.ImageId);
        }
    }

    private async Task<Subnet?> FindSubnetAsync(string subnetId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await clients.Ec2().DescribeSubnetsAsync(new DescribeSubnetsRequest { SubnetIds = [subnetId] }, cancellationToken);
            return (response.Subnets ?? []).FirstOrDefault();
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode is "InvalidSubnetID.NotFound" or "InvalidSubnetID.Malformed")
        {
            return null;
        }
    }

    /// <summary>What an instance type runs (architectures, root device types), or null when the region does not offer it.</summary>
    private async Task<InstanceTypeInfo?> DescribeInstanceTypeAsync(string instanceType, CancellationToken cancellationToken)
    {
        try
        {
            var response = await clients.Ec2().DescribeInstanceTypesAsync(new DescribeInstanceTypesRequest { InstanceTypes = [instanceType] }, cancellationToken);
            return (response.InstanceTypes ?? []).FirstOrDefault();
        }
        catch (AmazonEC2Exception exception) when (exception.ErrorCode is "InvalidInstanceType" or "InvalidParameterValue")
        {
            return null;
        }
    }
}
