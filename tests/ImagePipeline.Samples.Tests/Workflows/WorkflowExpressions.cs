using System.Text.RegularExpressions;

namespace ImagePipeline.Samples.Tests.Workflows;

/// <summary>
/// The runner's <c>${{ }}</c> substitution for the one form the action and the workflows use where the tests run
/// them: a plain context path (<c>inputs.ami-name</c>, <c>matrix.region</c>, <c>steps.bake.outputs.image-id</c>).
/// Anything else (operators, functions) is refused, so a test never runs a step on a value this evaluator guessed.
/// </summary>
internal sealed partial class WorkflowExpressions(IReadOnlyDictionary<string, string> values, IReadOnlySet<string> strictContexts)
{
    private readonly Dictionary<string, string> _values = new(values, StringComparer.Ordinal);

    /// <summary>Contexts whose every property is known (inputs): a path into them that is missing is a mistake in the file, not an empty value.</summary>
    private readonly IReadOnlySet<string> _strictContexts = strictContexts;

    public void Set(string path, string value) => _values[path] = value;

    public string Substitute(string text) => Expression().Replace(text, match => Resolve(match.Groups["path"].Value));

    private string Resolve(string path)
    {
        if (!ContextPath().IsMatch(path))
        {
            throw new NotSupportedException($"The test's evaluator handles plain context paths only, not '{path}'.");
        }

        if (_values.TryGetValue(path, out var value))
        {
            return value;
        }

        // GitHub yields '' for a property that is not set (an output a step did not write).
        return _strictContexts.Contains(path[..path.IndexOf('.', StringComparison.Ordinal)])
            ? throw new KeyNotFoundException($"'{path}' is not declared.")
            : "";
    }

    [GeneratedRegex(@"\$\{\{\s*(?<path>.*?)\s*\}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+$")]
    private static partial Regex ContextPath();
}
