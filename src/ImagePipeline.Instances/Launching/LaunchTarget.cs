using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Launching;

/// <summary>LaunchInstance's plan: the steps that start an instance from a base image, or why the run needs none.</summary>
public static class LaunchTarget
{
    public static TargetPlan Plan(IParameterValues parameters, IImageStrategy strategy, InstanceRoot root)
    {
        var given = GivenSource(parameters);
        if (!InstanceSource.WillLaunch(parameters))
        {
            var ignored = LaunchParameters.LaunchOnly.Where(parameter => parameter is Parameter<bool> flag ? parameters.Get(flag) : parameters.IsSet(parameter)).Select(parameter => parameter.ToString()).ToArray();
            return ignored.Length == 0
                ? TargetPlan.NotApplicable(given ?? "no --source-ami or --source-ami-filter")
                : throw PipelineException.Input(
                    $"{string.Join(", ", ignored)} {(ignored.Length == 1 ? "shapes" : "shape")} the instance the run launches from a base image, and this run launches none ({given ?? "no --source-ami or --source-ami-filter"}); leave {(ignored.Length == 1 ? "it" : "them")} out, or pass --source-ami.");
        }

        if (parameters.IsSet(CommonParameters.SourceAmi) && parameters.IsSet(CommonParameters.SourceAmiFilter))
        {
            throw PipelineException.Input($"{CommonParameters.SourceAmi} names the base image and {CommonParameters.SourceAmiFilter} finds one; give one or the other.");
        }

        if (parameters.IsSet(CommonParameters.SourceAmi) && parameters.Get(LaunchParameters.SourceAmiMostRecent))
        {
            throw PipelineException.Input($"{LaunchParameters.SourceAmiMostRecent} picks the newest image {CommonParameters.SourceAmiFilter} matches, and {CommonParameters.SourceAmi} names one; leave it out, or use a filter.");
        }

        var launchOption = parameters.IsSet(CommonParameters.SourceAmi) ? CommonParameters.SourceAmi.ToString() : CommonParameters.SourceAmiFilter.ToString();
        if (given is not null)
        {
            throw PipelineException.Input($"{launchOption} launches a new instance to capture, but {given}; give one or the other.");
        }

        if (strategy.UsesLaunchedInstance(parameters, root) == LaunchedInstanceUse.NotSupported)
        {
            throw PipelineException.Input($"The {strategy.Key} strategy cannot capture an instance the run launches; leave out {launchOption}, or pick another --backing-store/--platform.");
        }

        return TargetPlan.Run([.. Steps(parameters, LaunchConnections.Of(parameters, strategy, root))]);
    }

    private static IEnumerable<Type> Steps(IParameterValues parameters, LaunchConnection connection)
    {
        yield return typeof(ResolveSourceImage);
        if (connection == LaunchConnection.Ssh && !parameters.IsSet(LaunchParameters.SshKeyPairName))
        {
            yield return typeof(CreateTemporaryKeyPair);
        }

        if (connection == LaunchConnection.Ssh && parameters.Get(LaunchParameters.SecurityGroupIds).Length == 0)
        {
            yield return typeof(CreateTemporarySecurityGroup);
        }

        yield return typeof(LaunchSourceInstance);
        yield return typeof(WaitForInstanceStatus);
        if (connection == LaunchConnection.Ssh)
        {
            yield return typeof(WaitForSsh);
        }
        else if (connection == LaunchConnection.Ssm)
        {
            yield return typeof(WaitForSsm);
        }
    }

    /// <summary>What the run was given to capture instead of launching, as the "not applicable" reason.</summary>
    private static string? GivenSource(IParameterValues parameters) =>
        parameters.TryGet(CommonParameters.InstanceId, out var instanceId) ? $"the run captures {CommonParameters.InstanceId} {instanceId}"
        : parameters.TryGet(CommonParameters.InstanceHost, out var host) ? $"the run captures {CommonParameters.InstanceHost} {host}"
        : parameters.TryGet(ImageFileParameter, out var file) ? $"the run bundles --image-file {file}"
        : null;

    /// <summary><c>--image-file</c> is the instance-store plugin's parameter; the host only reads whether it was given, under the same declaration.</summary>
    private static readonly Parameter<string> ImageFileParameter = new("image-file", "A disk image file to bundle.");
}
