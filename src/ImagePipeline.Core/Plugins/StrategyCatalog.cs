using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Plugins;

/// <summary>The strategies the loaded plugins registered, one per backing store and platform.</summary>
public sealed class StrategyCatalog
{
    private readonly Dictionary<StrategyKey, IImageStrategy> _byKey = [];

    public StrategyCatalog(IEnumerable<IImageStrategy> strategies)
    {
        var errors = new List<string>();
        foreach (var strategy in strategies)
        {
            if (_byKey.TryGetValue(strategy.Key, out var existing))
            {
                errors.Add(
                    $"Two plugins implement strategy {strategy.Key}: {Describe(existing)} and {Describe(strategy)}; remove one of them from the plugins folder or from --plugin.");
                continue;
            }

            _byKey.Add(strategy.Key, strategy);
        }

        if (errors.Count > 0)
        {
            throw new PluginLoadException(errors);
        }
    }

    public IReadOnlyCollection<IImageStrategy> All => _byKey.Values.OrderBy(strategy => strategy.Key.ToString(), StringComparer.Ordinal).ToArray();

    public IImageStrategy Get(StrategyKey key) =>
        _byKey.TryGetValue(key, out var strategy)
            ? strategy
            : throw PipelineException.Input(
                _byKey.Count == 0
                    ? $"No strategy is loaded, so {key} cannot run: the plugins folder is empty; build the solution, or load a plugin with --plugin PATH."
                    : $"No loaded plugin implements strategy {key}; loaded: {string.Join(", ", _byKey.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal))}. Pick another --backing-store/--platform or load a plugin with --plugin PATH.");

    public static string Describe(IImageStrategy strategy)
    {
        var assembly = strategy.GetType().Assembly;
        return $"{strategy.GetType().FullName} in {Path.GetFileName(assembly.Location)}";
    }
}
