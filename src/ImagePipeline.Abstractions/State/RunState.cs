using System.Text.Json;
using System.Text.Json.Nodes;

namespace ImagePipeline.Abstractions;

/// <summary>
/// What the steps of one run know and remember: typed values saved with the run after every step, so that a resumed
/// run (or a cleanup after a crash) knows what was created. Never store a secret here: this is written to disk.
/// </summary>
public sealed class RunState
{
    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, JsonNode?> _values;
    private readonly Lock _gate = new();

    public RunState()
        : this(new Dictionary<string, JsonNode?>(StringComparer.Ordinal))
    {
    }

    private RunState(Dictionary<string, JsonNode?> values) => _values = values;

    public void Set<T>(StateKey<T> key, T value)
    {
        lock (_gate)
        {
            _values[key.Name] = JsonSerializer.SerializeToNode(value, SerializerOptions);
        }
    }

    public bool TryGet<T>(StateKey<T> key, out T value)
    {
        lock (_gate)
        {
            if (_values.TryGetValue(key.Name, out var node) && node is not null)
            {
                value = node.Deserialize<T>(SerializerOptions)!;
                return true;
            }
        }

        value = default!;
        return false;
    }

    /// <summary>The value, or <paramref name="fallback"/> when no step has set it.</summary>
    public T GetOrDefault<T>(StateKey<T> key, T fallback) => TryGet(key, out var value) ? value : fallback;

    /// <summary>The value a previous step must have set; throws naming the key when it is missing.</summary>
    public T Get<T>(StateKey<T> key) =>
        TryGet(key, out var value)
            ? value
            : throw new InvalidOperationException($"Run state has no '{key.Name}': the step that sets it has not run.");

    public bool Contains<T>(StateKey<T> key)
    {
        lock (_gate)
        {
            return _values.ContainsKey(key.Name);
        }
    }

    public void Remove<T>(StateKey<T> key)
    {
        lock (_gate)
        {
            _values.Remove(key.Name);
        }
    }

    /// <summary>A copy of the values as JSON, for the run-state file.</summary>
    public JsonObject ToJson()
    {
        lock (_gate)
        {
            var json = new JsonObject();
            foreach (var (name, node) in _values.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                json[name] = node?.DeepClone();
            }

            return json;
        }
    }

    public static RunState FromJson(JsonObject? json)
    {
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (json is not null)
        {
            foreach (var (name, node) in json)
            {
                values[name] = node?.DeepClone();
            }
        }

        return new RunState(values);
    }
}
