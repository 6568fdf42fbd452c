namespace ImagePipeline.Abstractions;

/// <summary>
/// A parameter as users see it: <c>--kebab-name</c> on the command line, <c>IMAGEPIPELINE_UPPER_SNAKE</c> in the
/// environment, <c>kebab-name</c> in <c>.nuke/parameters.json</c>. Declared once, as a <see cref="Parameter{T}"/>,
/// and read through <see cref="IParameterValues"/>.
/// </summary>
public abstract class ParameterDefinition
{
    private protected ParameterDefinition(string name, string description)
    {
        if (string.IsNullOrWhiteSpace(name) || name.StartsWith('-') || name.Any(char.IsUpper) || name.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Parameter names are kebab-case without leading dashes; '{name}' is not.", nameof(name));
        }

        Name = name;
        Description = description;
    }

    /// <summary>The kebab-case name, without dashes: <c>bundle-prefix</c>.</summary>
    public string Name { get; }

    public string Description { get; }

    /// <summary>The environment variable that sets it: <c>IMAGEPIPELINE_BUNDLE_PREFIX</c>.</summary>
    public string EnvironmentVariable => "IMAGEPIPELINE_" + Name.Replace('-', '_').ToUpperInvariant();

    /// <summary>Never printed, logged, saved in run state or written to any output. Of a list, each item is a secret; of a NAME=VALUE item, only the VALUE.</summary>
    public bool IsSecret { get; init; }

    /// <summary>The value taken when the option is given with no value (<c>--resume</c> alone means <c>latest</c>).</summary>
    public string? ValueWhenGivenAlone { get; init; }

    /// <summary>Other environment variables read when the parameter is not set otherwise (for example <c>AWS_MAX_ATTEMPTS</c>).</summary>
    public IReadOnlyList<string> FallbackEnvironmentVariables { get; init; } = [];

    /// <summary>The CLR type of the value: string, int, bool, double, string[], TimeSpan (seconds), or an enum.</summary>
    public abstract Type ValueType { get; }

    /// <summary>True when the parameter has a declared default value (a computed default shown by DefaultDescription does not count).</summary>
    public abstract bool HasDeclaredDefault { get; }

    /// <summary>The default as shown in <c>--help</c>, or null when there is none.</summary>
    public abstract string? DefaultText { get; }

    /// <summary>The accepted words for enum parameters, as typed on the command line.</summary>
    public abstract IReadOnlyList<string> AllowedValues { get; }

    /// <summary>A short word for the type, as shown in <c>--help</c>: string, integer, boolean, list, seconds, or one of the allowed values.</summary>
    public string TypeName =>
        ValueType == typeof(int) ? "integer"
        : ValueType == typeof(bool) ? "boolean"
        : ValueType == typeof(double) ? "number"
        : ValueType == typeof(string[]) ? "list"
        : ValueType == typeof(TimeSpan) ? "seconds"
        : ValueType.IsEnum ? string.Join('|', AllowedValues)
        : "string";

    /// <summary>Checks a parsed value; returns an error sentence or null. Called for every value that is set.</summary>
    public abstract string? ValidateValue(object value);

    public override string ToString() => "--" + Name;
}
