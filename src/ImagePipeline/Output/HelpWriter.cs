using ImagePipeline.Targets;
using ImagePipeline.Core.Parameters;
using ImagePipeline.Core.Plugins;

namespace ImagePipeline.Output;

/// <summary>The <c>--help</c> text: targets with descriptions and dependencies, strategies, and every parameter with its type, default, environment variable and whether it is secret.</summary>
internal static class HelpWriter
{
    public static IEnumerable<string> Lines(ParameterCatalog catalog, StrategyCatalog strategies)
    {
        yield return "ImagePipeline bakes AWS machine images (AMIs) through five build targets.";
        yield return string.Empty;
        yield return "Usage: ./build.sh <Target> [--parameter value]...   (./build.cmd on Windows)";
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
        yield return "Utility targets:";
        foreach (var target in BuildTargets.Utilities)
        {
            yield return $"  {target.Name,-18}{target.Description}";
        }

        yield return string.Empty;
        yield return "Strategies (--backing-store/--platform):";
        foreach (var strategy in strategies.All)
        {
            yield return $"  {strategy.Key.ToString(),-24}{strategy.Description} [{Path.GetFileNameWithoutExtension(strategy.GetType().Assembly.Location)}]";
        }

        yield return string.Empty;
        yield return "Parameters (command line > environment > .nuke/parameters.<profile>.json > .nuke/parameters.json > default):";
        foreach (var parameter in catalog.All.OrderBy(parameter => parameter.Name, StringComparer.Ordinal))
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
