namespace ImagePipeline.Core.Parameters;

/// <summary>Where a value came from, highest precedence first.</summary>
public enum ParameterSource
{
    CommandLine,
    Environment,
    /// <summary>The file given with <c>--parameters-file</c>.</summary>
    GivenFile,
    ProfileFile,
    ParametersFile,
    ResumedRun,
    DemoDefaults,
    Default,
}
