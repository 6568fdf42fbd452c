using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Parameters;

/// <summary>The run's parameter values after resolution, with the errors found on the way.</summary>
public sealed class ResolvedParameters : IParameterValues
{
    private readonly IReadOnlyDictionary<string, ResolvedValue> _values;

    public ResolvedParameters(ParameterCatalog catalog, IReadOnlyDictionary<string, ResolvedValue> values, IReadOnlyList<string> errors)
    {
        Catalog = catalog;
        _values = values;
        Errors = errors;
        SecretValues = catalog.All
            .Where(definition => definition.IsSecret && values.ContainsKey(definition.Name))
            .SelectMany(definition => ParameterResolver.SecretsIn(values[definition.Name].Value))
            .Where(secret => secret.Length > 0)
            .ToArray();
    }

    public ParameterCatalog Catalog { get; }

    public IReadOnlyList<string> Errors { get; }

    public IReadOnlyCollection<string> SecretValues { get; }

    public T Get<T>(Parameter<T> parameter)
        where T : notnull =>
        TryGet(parameter, out var value) ? value : throw PipelineException.Input(
            $"--{parameter.Name} has no value: pass --{parameter.Name} VALUE, set {parameter.EnvironmentVariable}, or add \"{parameter.Name}\" to .nuke/parameters.json.");

    public T? GetOrDefault<T>(Parameter<T> parameter)
        where T : notnull =>
        TryGet(parameter, out var value) ? value : default;

    public bool TryGet<T>(Parameter<T> parameter, out T value)
        where T : notnull
    {
        if (_values.TryGetValue(parameter.Name, out var resolved) && resolved.Value is T typed)
        {
            value = typed;
            return true;
        }

        value = parameter.Default!;
        return parameter.HasDefault;
    }

    public bool IsSet(ParameterDefinition parameter) => _values.ContainsKey(parameter.Name);

    public ParameterSource? SourceOf(ParameterDefinition parameter) => _values.TryGetValue(parameter.Name, out var resolved) ? resolved.Source : null;

    /// <summary>The non-secret values the user set, as canonical text, for saving with a run and comparing on resume.</summary>
    public IReadOnlyDictionary<string, string> DescribeSetValues() =>
        Catalog.All
            .Where(definition => !definition.IsSecret && _values.ContainsKey(definition.Name) && !IsRunControl(definition))
            .ToDictionary(definition => definition.Name, definition => ParameterValueParser.Format(_values[definition.Name].Value), StringComparer.Ordinal);

    /// <summary>Parameters that steer the host rather than the image; they may differ between a run and its resumption.</summary>
    public static bool IsRunControl(ParameterDefinition definition) =>
        definition == HostParameters.Resume || definition == HostParameters.Verbose || definition == HostParameters.Plan
        || definition == HostParameters.Help || definition == HostParameters.OutputJson || definition == HostParameters.Profile
        || definition == HostParameters.Plugins || definition == CommonParameters.KeepOnFailure;
}
