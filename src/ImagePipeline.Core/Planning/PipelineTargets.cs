using ImagePipeline.Abstractions;
using ImagePipeline.Core.Parameters;
using ImagePipeline.Instances.Launching;
using ImagePipeline.Instances.Provisioning;

namespace ImagePipeline.Core.Planning;

/// <summary>
/// The pipeline targets are a straight chain in the order of <see cref="PipelineTargetOrder.All"/>: each runs the ones
/// before it. This reads target names the way users type them and gives a target with everything before it.
/// </summary>
public static class PipelineTargets
{
    public static IReadOnlyList<PipelineTarget> All { get; } = PipelineTargetOrder.All;

    /// <summary>The parameters of the targets the host plans itself (LaunchInstance, ProvisionInstance), in every run's catalog.</summary>
    public static IReadOnlyList<ParameterDefinition> HostPlannedParameters { get; } = [.. LaunchParameters.All, .. ProvisionParameters.All];

    /// <summary>The target of a name, matched without regard to case or kebab spelling (<c>copy-certificates</c>), or null.</summary>
    public static PipelineTarget? Find(string name) => KebabCase.TryParse<PipelineTarget>(name, out var target) ? target : null;

    public static PipelineTarget Parse(string name) => Find(name) ?? throw PipelineException.Input(UnknownTargetMessage(name, All.Select(target => target.ToString())));

    /// <summary>The requested target and every target before it, first to last.</summary>
    public static IReadOnlyList<PipelineTarget> UpTo(PipelineTarget requested) => All.Where(target => requested.Reaches(target)).ToArray();

    /// <summary>"Unknown target 'X' (did you mean Y?); valid targets: …" over the given names.</summary>
    public static string UnknownTargetMessage(string requested, IEnumerable<string> validNames)
    {
        var names = validNames.ToArray();
        var hint = EditDistance.Closest(requested, names);
        return $"Unknown target '{requested}'" + (hint is null ? string.Empty : $" (did you mean {hint}?)")
            + $"; valid targets: {string.Join(", ", names)}.";
    }
}
