using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Plugins;

/// <summary>The strategies the loaded plugins registered, one per backing store and platform.</summary>
public sealed class StrategyCatalog
{
    private readonly Dictionary<StrategyKey, IImageStrategy> _byKey = [];

    /// <param name="strategies">Every registered strategy.</param>
    /// <param name="isBuiltIn">Whether a strategy ships with the host; a strategy from --plugin replaces a built-in one of the same key.</param>
    public StrategyCatalog(IEnumerable<IImageStrategy> strategies, Func<IImageStrategy, bool>? isBuiltIn = null)
    {
        var errors = new List<string>();
        var notices = new List<string>();
        isBuiltIn ??= _ => false;
        foreach (var strategy in strategies)
        {
            if (_byKey.TryGetValue(strategy.Key, out var existing))
            {
                // A user's plugin may stand in for a built-in strategy (that is how a strategy is customised); two
                // strategies of the same standing are ambiguous.
                if (isBuiltIn(existing) != isBuiltIn(strategy))
                {
                    var (chosen, replaced) = isBuiltIn(existing) ? (strategy, existing) : (existing, strategy);
                    _byKey[strategy.Key] = chosen;
                    notices.Add($"{strategy.Key}: using {Describe(chosen)} (--plugin) instead of the built-in {Describe(replaced)}.");
                    continue;
                }

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

        Notices = notices;
    }

    /// <summary>Built-in strategies that a --plugin strategy replaced, one sentence each, for the host to show.</summary>
    public IReadOnlyList<string> Notices { get; } = [];

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
