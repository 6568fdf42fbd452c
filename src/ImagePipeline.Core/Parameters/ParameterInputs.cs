namespace ImagePipeline.Core.Parameters;

/// <summary>The places parameters come from, gathered before they are resolved against the catalog.</summary>
public sealed record ParameterInputs(
    CommandLine CommandLine,
    IReadOnlyDictionary<string, string> Environment,
    ParametersFile? BaseFile,
    ParametersFile? ProfileFile)
{
    /// <summary>The file given with <c>--parameters-file</c>: above the <c>.nuke/</c> files, below the environment.</summary>
    public ParametersFile? GivenFile { get; init; }

    /// <summary>Reads the process environment into a dictionary (so tests can pass their own).</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        return variables;
    }
}
