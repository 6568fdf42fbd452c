namespace ImagePipeline.Targets;

/// <summary>
/// What <c>packer validate</c> does: every parameter check and every step's validation of the whole pipeline, with the
/// cloud calls they make (read-only), and nothing created; exit 0 when valid, 2 with every problem otherwise.
/// </summary>
internal sealed class ValidateTarget()
    : BuildTarget("Validate", "Check every parameter and the cloud (read-only) for the whole pipeline; nothing is created.", []);
