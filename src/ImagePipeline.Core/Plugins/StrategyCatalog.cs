using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Plugins;

/// <summary>
/// The strategies the loaded plugins registered: one per backing store and platform, and any number of named ones that
/// plugins add beside it (<see cref="StrategyKey.Variant"/>, chosen with <c>--strategy</c>).
/// </summary>
public sealed partial class StrategyCatalog
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
            if (strategy.Key.Variant is { } variant && !VariantName().IsMatch(variant))
            {
                errors.Add($"{Describe(strategy)} names its strategy \"{variant}\": a strategy name is lower-case letters, digits and dashes, starting with a letter (for example \"tagged\"); rename it in the plugin.");
                continue;
            }

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

    public IImageStrategy Get(StrategyKey key)
    {
        if (_byKey.TryGetValue(key, out var strategy))
        {
            return strategy;
        }

        if (_byKey.Count == 0)
        {
            throw PipelineException.Input($"No strategy is loaded, so {key} cannot run: the plugins folder beside the host is missing; reinstall ImagePipeline (or build the solution), or load a plugin with --plugin PATH.");
        }

        if (key.Variant is not null)
        {
            var named = _byKey.Keys.Where(k => k.Variant is not null).Select(k => k.ToString()).Order(StringComparer.Ordinal).ToArray();
            throw PipelineException.Input(
                $"Unknown --strategy {key.Variant} for {key with { Variant = null }}; " + (named.Length == 0
                    ? "no loaded plugin adds a named strategy: leave out --strategy, or load the plugin that adds it with --plugin PATH."
                    : $"the named strategies are {string.Join(", ", named)}: pick one with --strategy (and its --backing-store/--platform), or load the plugin that adds it with --plugin PATH."));
        }

        throw PipelineException.Input(
            $"No loaded plugin implements strategy {key}; loaded: {string.Join(", ", _byKey.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal))}. Pick another --backing-store/--platform or load a plugin with --plugin PATH.");
    }

    public static string Describe(IImageStrategy strategy)
    {
        var assembly = strategy.GetType().Assembly;
        return $"{strategy.GetType().FullName} in {Path.GetFileName(assembly.Location)}";
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial System.Text.RegularExpressions.Regex VariantName();
}
