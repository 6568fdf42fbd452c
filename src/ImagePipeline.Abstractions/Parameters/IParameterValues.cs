namespace ImagePipeline.Abstractions;

/// <summary>The resolved, validated values of a run's parameters.</summary>
public interface IParameterValues
{
    /// <summary>The value, or the default; throws a <see cref="PipelineException"/> naming the parameter when neither exists.</summary>
    T Get<T>(Parameter<T> parameter)
        where T : notnull;

    /// <summary>The value or default; for a parameter with neither, null (reference types) or the type's zero (value types: use <see cref="TryGet{T}"/>).</summary>
    T? GetOrDefault<T>(Parameter<T> parameter)
        where T : notnull;

    /// <summary>The value or declared default, when there is one.</summary>
    bool TryGet<T>(Parameter<T> parameter, out T value)
        where T : notnull;

    /// <summary>True when the user set the parameter (command line, environment or parameters file), not just a default.</summary>
    bool IsSet(ParameterDefinition parameter);

    /// <summary>Every secret value of the run, so that outputs can be redacted.</summary>
    IReadOnlyCollection<string> SecretValues { get; }
}
