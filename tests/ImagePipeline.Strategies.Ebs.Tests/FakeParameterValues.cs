using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.Ebs.Tests;

/// <summary>Parameter values set directly by a test, falling back to each parameter's default.</summary>
public sealed class FakeParameterValues(IReadOnlyDictionary<string, object> values) : IParameterValues
{
    public IReadOnlyCollection<string> SecretValues => [];

    public T Get<T>(Parameter<T> parameter)
        where T : notnull =>
        GetOrDefault(parameter) ?? throw PipelineException.Input($"{parameter} is required.");

    public T? GetOrDefault<T>(Parameter<T> parameter)
        where T : notnull =>
        values.TryGetValue(parameter.Name, out var value) ? (T)value : parameter.Default;

    public bool TryGet<T>(Parameter<T> parameter, out T value)
        where T : notnull
    {
        var found = GetOrDefault(parameter);
        value = found!;
        return found is not null;
    }

    public bool IsSet(ParameterDefinition parameter) => values.ContainsKey(parameter.Name);
}
