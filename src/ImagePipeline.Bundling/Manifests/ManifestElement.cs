namespace ImagePipeline.Bundling.Manifests;

/// <summary>
/// One element of a manifest as <see cref="StrictManifestXml"/> read it: a leaf holds text, a group holds elements;
/// never both, and only the attributes the format defines.
/// </summary>
internal sealed class ManifestElement
{
    public ManifestElement(string name, IReadOnlyDictionary<string, string> attributes)
    {
        Name = name;
        Attributes = attributes;
    }

    public string Name { get; }

    public IReadOnlyDictionary<string, string> Attributes { get; }

    public List<ManifestElement> Children { get; } = [];

    /// <summary>The leaf's text, trimmed; empty for a group.</summary>
    public string Text { get; set; } = string.Empty;

    public ManifestElement? Child(string name) => Children.FirstOrDefault(child => child.Name == name);

    public IEnumerable<ManifestElement> All(string name) => Children.Where(child => child.Name == name);

    public string? Value(string name) => Child(name)?.Text is { Length: > 0 } text ? text : null;

    public string Required(string name) =>
        Value(name) ?? throw new InvalidDataException($"<{Name}> has no <{name}>");

    public string Attribute(string name) =>
        Attributes.TryGetValue(name, out var value) ? value : throw new InvalidDataException($"<{Name}> has no '{name}' attribute");
}
