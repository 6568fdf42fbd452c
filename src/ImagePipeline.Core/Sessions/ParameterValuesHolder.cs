using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Sessions;

/// <summary>
/// Lets services registered before parameters are resolved (cloud clients, plugins' services) read the run's values
/// once they exist. Resolved exactly once per session.
/// </summary>
public sealed class ParameterValuesHolder
{
    private IParameterValues? _values;

    public IParameterValues Values => _values ?? throw new InvalidOperationException("Parameters are read before they were resolved.");

    public void Set(IParameterValues values) => _values = values;
}
