using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Parameters;

/// <summary>Parameters of the host itself, as Nuke users know them.</summary>
public static class HostParameters
{
    public static readonly Parameter<bool> Help = new("help", "Show targets and parameters, then exit.") { Default = false };

    public static readonly Parameter<bool> Plan = new("plan", "Show the ordered targets and the plugin class behind each, without running anything.") { Default = false };

    public static readonly Parameter<string[]> Plugins = new("plugin", "More plugin assemblies or folders to load, besides the plugins folder of the build output (repeatable, or comma-separated).") { Default = [] };

    public static readonly Parameter<string> Profile = new("profile", "Also read .nuke/parameters.<profile>.json (it overrides .nuke/parameters.json).");

    public static readonly Parameter<string> ParametersFile = new("parameters-file", "Also read this parameters file (JSON, the keys of .nuke/parameters.json), from anywhere; it overrides the .nuke/ files, and every key in it must be one of ours.");

    public static readonly Parameter<string> Strategy = new("strategy", "A named strategy that a plugin adds for the chosen --backing-store and --platform (--help lists them); unset, the plain one.");

    public static readonly Parameter<bool> Version = new("version", "Print the version of ImagePipeline, then exit.") { Default = false };

    public static readonly Parameter<string> Resume = new("resume", "Continue a run after its last completed step: 'latest' (the default when given without a value) or a run id.")
    { ValueWhenGivenAlone = "latest" };

    public static readonly Parameter<bool> Verbose = new("verbose", "Log debug details and show stack traces of errors.") { Default = false };

    public static readonly Parameter<string> OutputJson = new("output-json", "Write the summary and the run's outputs (bucket, manifest location, image id) to this JSON file.");

    public static IReadOnlyList<ParameterDefinition> All { get; } =
        [Help, Version, Plan, Plugins, Profile, ParametersFile, Strategy, Resume, Verbose, OutputJson, CommonParameters.KeepOnFailure, CommonParameters.BackingStore, CommonParameters.Platform];
}
