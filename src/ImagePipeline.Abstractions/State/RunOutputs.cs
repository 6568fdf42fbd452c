namespace ImagePipeline.Abstractions;

/// <summary>
/// The run's results that users and CI read: written to the summary, <c>--output-json</c> and GitHub's step outputs.
/// Names are kebab-case; see <see cref="WellKnownOutputs"/>.
/// </summary>
public sealed class RunOutputs
{
    private readonly SortedDictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Set(string name, string value)
    {
        lock (_gate)
        {
            _values[name] = value;
        }
    }

    public string? Get(string name)
    {
        lock (_gate)
        {
            return _values.TryGetValue(name, out var value) ? value : null;
        }
    }

    public void Remove(string name)
    {
        lock (_gate)
        {
            _values.Remove(name);
        }
    }

    public IReadOnlyDictionary<string, string> ToDictionary()
    {
        lock (_gate)
        {
            return new SortedDictionary<string, string>(_values, StringComparer.Ordinal);
        }
    }
}
