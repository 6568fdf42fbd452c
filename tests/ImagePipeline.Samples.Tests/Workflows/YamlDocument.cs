using YamlDotNet.RepresentationModel;

namespace ImagePipeline.Samples.Tests.Workflows;

/// <summary>action.yml or a workflow, read as YAML (not as text), with the few lookups the tests need.</summary>
internal static class YamlDocument
{
    public static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }

        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static YamlMappingNode Map(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child)
            ? (YamlMappingNode)child
            : throw new KeyNotFoundException($"'{key}' is missing at line {node.Start.Line}.");

    public static bool Has(this YamlMappingNode node, string key) => node.Children.ContainsKey(new YamlScalarNode(key));

    public static string? Text(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? ((YamlScalarNode)child).Value : null;

    public static IReadOnlyList<string> Keys(this YamlMappingNode node) =>
        node.Children.Keys.Select(key => ((YamlScalarNode)key).Value!).ToList();

    /// <summary>A mapping of scalars (env:, with:, outputs:) as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Scalars(this YamlMappingNode node, string key) =>
        node.Has(key)
            ? node.Map(key).Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => ((YamlScalarNode)pair.Value).Value ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    public static IReadOnlyList<YamlMappingNode> Steps(this YamlMappingNode job) =>
        ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>().ToList();

    public static YamlMappingNode Step(this YamlMappingNode job, string name) =>
        job.Steps().SingleOrDefault(step => step.Text("name") == name) ?? throw new KeyNotFoundException($"No step is named '{name}'.");

    public static YamlMappingNode StepUsing(this YamlMappingNode job, string uses) =>
        job.Steps().Single(step => step.Text("uses") == uses);
}
