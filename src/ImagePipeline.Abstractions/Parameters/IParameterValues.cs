namespace ImagePipeline.Abstractions;

/// <summary>The resolved, validated values of a run's parameters.</summary>
public interface IParameterValues
{
    /// <summary>The value, or the default; throws a <see cref="PipelineException"/> naming the parameter when neither exists.</summary>
    T Get<T>(Parameter<T> parameter)
        where T : notnull;

    /// <summary>The value or default, or null when the parameter has neither.</summary>
    T? GetOrDefault<T>(Parameter<T> parameter)
        where T : notnull;

    /// <summary>True when the user set the parameter (command line, environment or parameters file), not just a default.</summary>
    bool IsSet(ParameterDefinition parameter);

    /// <summary>Every secret value of the run, so that outputs can be redacted.</summary>
    IReadOnlyCollection<string> SecretValues { get; }
}
