using ImagePipeline.Core.Planning;

namespace ImagePipeline.Build.Host;

/// <summary>Targets of the host that are not pipeline stages: they run alone and never touch a build's run state.</summary>
internal static class UtilityTargets
{
    public const string LocalCloud = "LocalCloud";
    public const string VerifyBundle = "VerifyBundle";
    public const string UnbundleImage = "UnbundleImage";
    public const string GenerateSchema = "GenerateSchema";

    public static IReadOnlyList<TargetDefinition> Definitions { get; } =
    [
        new(LocalCloud, "Run the local cloud on its own (--port, default 4566) until Ctrl+C, so the AWS CLI or another tool can look at it.", []),
        new(VerifyBundle, "Check a bundle: parts, digests, signature and the decrypted stream (--manifest, --x509-key-path).", []),
        new(UnbundleImage, "Reassemble the image of a bundle, byte-identical and sparse (--manifest, --x509-key-path, --unbundle-destination).", []),
        new(GenerateSchema, "Rewrite .nuke/build.schema.json from the parameter definitions (editors complete parameters from it).", []),
    ];

    public static TargetDefinition? Find(string name) =>
        Definitions.FirstOrDefault(definition => string.Equals(definition.Name, name, StringComparison.OrdinalIgnoreCase));
}
