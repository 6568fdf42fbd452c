using ImagePipeline.Abstractions;
using ImagePipeline.Core.Parameters;

namespace ImagePipeline.Core.Planning;

/// <summary>Orders targets so each runs after its dependencies; refuses cycles (naming the cycle) and unknown targets (listing the valid ones).</summary>
public sealed class TargetGraph
{
    private readonly Dictionary<string, TargetDefinition> _byName;

    public TargetGraph(IEnumerable<TargetDefinition> definitions)
    {
        Definitions = definitions.ToArray();
        _byName = Definitions.ToDictionary(definition => definition.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var definition in Definitions)
        {
            foreach (var dependency in definition.DependsOn)
            {
                if (!_byName.ContainsKey(dependency))
                {
                    throw new InvalidOperationException($"Target {definition.Name} depends on {dependency}, which is not a target.");
                }
            }
        }

        foreach (var definition in Definitions)
        {
            Order(definition.Name);
        }
    }

    public IReadOnlyList<TargetDefinition> Definitions { get; }

    public TargetDefinition? Find(string name) =>
        _byName.GetValueOrDefault(name) ?? _byName.Values.FirstOrDefault(definition => KebabCase.From(definition.Name) == name.ToLowerInvariant());

    /// <summary>The requested target and everything it depends on, dependencies first.</summary>
    public IReadOnlyList<TargetDefinition> Order(string requested)
    {
        var target = Find(requested) ?? throw PipelineException.Input(UnknownTargetMessage(requested));
        var ordered = new List<TargetDefinition>();
        Visit(target, ordered, new List<string>());
        return ordered;
    }

    public string UnknownTargetMessage(string requested)
    {
        var hint = EditDistance.Closest(requested, Definitions.Select(definition => definition.Name));
        return $"Unknown target '{requested}'" + (hint is null ? string.Empty : $" (did you mean {hint}?)")
            + $"; valid targets: {string.Join(", ", Definitions.Select(definition => definition.Name))}.";
    }

    private void Visit(TargetDefinition target, List<TargetDefinition> ordered, List<string> path)
    {
        if (ordered.Contains(target))
        {
            return;
        }

        if (path.Contains(target.Name))
        {
            var cycle = path.SkipWhile(name => name != target.Name).Append(target.Name);
            throw new InvalidOperationException($"Targets depend on each other in a cycle: {string.Join(" -> ", cycle)}.");
        }

        path.Add(target.Name);
        foreach (var dependency in target.DependsOn)
        {
            Visit(_byName[dependency], ordered, path);
        }

        path.RemoveAt(path.Count - 1);
        ordered.Add(target);
    }
}
