using ImagePipeline.Abstractions;
using ImagePipeline.Targets;
using ImagePipeline.Core.Parameters;
using ImagePipeline.Core.Plugins;

namespace ImagePipeline.Output;

/// <summary>The <c>--help</c> text: targets with descriptions and dependencies, strategies, and every parameter with its type, default, environment variable and whether it is secret.</summary>
internal static class HelpWriter
{
    /// <param name="catalog">Every parameter.</param>
    /// <param name="strategies">Every loaded strategy.</param>
    /// <param name="focus">When the user named a backing store or platform: the strategies to show; only their parameters and the host's are listed.</param>
    public static IEnumerable<string> Lines(ParameterCatalog catalog, StrategyCatalog strategies, Func<IImageStrategy, bool>? focus = null)
    {
        var shown = strategies.All.Where(focus ?? (_ => true)).ToArray();
        var hidden = strategies.All.Except(shown).SelectMany(strategy => strategy.Parameters)
            .Except(shown.SelectMany(strategy => strategy.Parameters))
            .Select(parameter => parameter.Name)
            .ToHashSet(StringComparer.Ordinal);
        yield return "ImagePipeline bakes AWS machine images (AMIs) through seven build targets.";
        yield return string.Empty;
        yield return "Usage: imagepipeline <Target> [--parameter value]...   (./build.sh <Target> ... in a clone of ImagePipeline)";
        yield return string.Empty;
        yield return "Targets (each runs the ones before it):";
        string? previous = null;
        foreach (var target in BuildTargets.Pipeline)
        {
            var after = previous is null ? string.Empty : $" (after {previous})";
            yield return $"  {target.Name,-18}{target.Description}{after}";
            previous = target.Name;
        }

        yield return string.Empty;
        yield return "Other targets (each runs alone):";
        foreach (var target in new BuildTarget[] { BuildTargets.Validate }.Concat(BuildTargets.Utilities))
        {
            yield return $"  {target.Name,-18}{target.Description}";
        }

        yield return string.Empty;
        yield return focus is null
            ? "Strategies (--backing-store/--platform, and --strategy NAME for one a plugin adds):"
            : $"Strategies for the chosen backing store and platform ({shown.Length} of {strategies.All.Count}; --help alone lists all):";
        foreach (var strategy in shown)
        {
            yield return $"  {strategy.Key.ToString(),-24}{strategy.Description} [{Path.GetFileNameWithoutExtension(strategy.GetType().Assembly.Location)}]";
        }

        yield return string.Empty;
        yield return "Parameters (command line > environment > --parameters-file > .nuke/parameters.<profile>.json > .nuke/parameters.json > default; keys of another tool in .nuke/ files are ignored):";
        foreach (var parameter in catalog.All.Where(parameter => !hidden.Contains(parameter.Name)).OrderBy(parameter => parameter.Name, StringComparer.Ordinal))
        {
            yield return $"  --{parameter.Name} <{parameter.TypeName}>";
            yield return $"      {parameter.Description}";
            var facts = new List<string>();
            if (parameter.DefaultText is { } defaultText)
            {
                facts.Add($"default: {(parameter.IsSecret ? "***" : defaultText)}");
            }

            facts.Add($"env: {string.Join(", ", new[] { parameter.EnvironmentVariable }.Concat(parameter.FallbackEnvironmentVariables))}");
            if (parameter.IsSecret)
            {
                facts.Add("secret: never printed or saved");
            }

            yield return $"      {string.Join(" · ", facts)}";
        }

        yield return string.Empty;
        yield return "Exit codes: 0 success, 1 a target failed, 2 usage or validation error, 130 cancelled.";
    }
}
