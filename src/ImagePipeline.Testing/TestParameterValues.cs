using ImagePipeline.Abstractions;

namespace ImagePipeline.Testing;

/// <summary>
/// Parameter values a test sets directly (typed, by parameter), falling back to each parameter's default: for calling a
/// strategy's <c>Plan</c> or a step's validation without resolving a command line.
/// </summary>
public sealed class TestParameterValues : IParameterValues
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> SecretValues => [];

    /// <summary>Sets a value, as if the user had given it.</summary>
    public TestParameterValues With<T>(Parameter<T> parameter, T value)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(parameter);
        _values[parameter.Name] = value;
        return this;
    }

    public T Get<T>(Parameter<T> parameter)
        where T : notnull =>
        TryGet(parameter, out var value) ? value : throw PipelineException.Input($"{parameter} has no value.");

    public T? GetOrDefault<T>(Parameter<T> parameter)
        where T : notnull =>
        TryGet(parameter, out var value) ? value : default;

    public bool TryGet<T>(Parameter<T> parameter, out T value)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (_values.TryGetValue(parameter.Name, out var set))
        {
            value = (T)set;
            return true;
        }

        value = parameter.Default!;
        return parameter.HasDefault;
    }

    public bool IsSet(ParameterDefinition parameter) => _values.ContainsKey(parameter?.Name ?? string.Empty);
}
