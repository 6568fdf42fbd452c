using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Parameters;

/// <summary>Every parameter the host knows in this run: its own, the AWS wiring's, and those of the loaded strategies.</summary>
public sealed class ParameterCatalog
{
    private readonly Dictionary<string, ParameterDefinition> _byName = new(StringComparer.Ordinal);
    private readonly List<ParameterDefinition> _ordered = [];

    public ParameterCatalog(IEnumerable<ParameterDefinition> definitions)
    {
        foreach (var definition in definitions)
        {
            if (_byName.TryGetValue(definition.Name, out var existing))
            {
                // Strategies share common parameters by reference; two different declarations of one name must agree on the type.
                if (existing.ValueType != definition.ValueType)
                {
                    throw PipelineException.Input(
                        $"Parameter --{definition.Name} is declared twice with different types ({existing.TypeName} and {definition.TypeName}); rename one of them in its plugin.");
                }

                continue;
            }

            _byName.Add(definition.Name, definition);
            _ordered.Add(definition);
        }
    }

    public IReadOnlyList<ParameterDefinition> All => _ordered;

    public ParameterDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The known name closest to a misspelt one, for "did you mean" hints.</summary>
    public string? ClosestName(string name, int? maximumDistance = null) => EditDistance.Closest(name, _ordered.Select(definition => definition.Name), maximumDistance);
}
