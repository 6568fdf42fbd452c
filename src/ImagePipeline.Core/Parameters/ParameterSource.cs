namespace ImagePipeline.Core.Parameters;

/// <summary>Where a value came from, highest precedence first.</summary>
public enum ParameterSource
{
    CommandLine,
    Environment,
    ProfileFile,
    ParametersFile,
    ResumedRun,
    DemoDefaults,
    Default,
}
