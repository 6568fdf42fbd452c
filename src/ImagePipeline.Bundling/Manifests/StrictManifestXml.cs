using System.Xml;

namespace ImagePipeline.Bundling.Manifests;

/// <summary>
/// Reads manifest XML that can be read only one way. The signature covers text cut out of the raw manifest, so
/// anything a parser skips or rewrites (comments, processing instructions, a DTD and its entities, CDATA, character
/// references, namespaces) or anything two readers could pick differently (a duplicated or unknown element, text beside
/// elements, an attribute the format does not define) is refused rather than interpreted.
/// </summary>
internal static class StrictManifestXml
{
    private static readonly ElementShape Manifest = ElementShape.Group(
        "manifest",
        ElementShape.Leaf("version"),
        ElementShape.Group("bundler", ElementShape.Leaf("name"), ElementShape.Leaf("version"), ElementShape.Leaf("release")),
        ElementShape.Group(
            "machine_configuration",
            ElementShape.Leaf("architecture"),
            ElementShape.Group(
                "block_device_mapping",
                ElementShape.Group("mapping", ElementShape.Leaf("virtual"), ElementShape.Leaf("device")) with { Repeats = true }),
            ElementShape.Leaf("kernel_id"),
            ElementShape.Leaf("ramdisk_id"),
            ElementShape.Group("product_codes", ElementShape.Leaf("product_code") with { Repeats = true })),
        ElementShape.Group(
            "image",
            ElementShape.Leaf("name"),
            ElementShape.Leaf("user"),
            ElementShape.Leaf("type"),
            ElementShape.Group("ancestry", ElementShape.Leaf("ancestor_ami_id") with { Repeats = true }),
            ElementShape.Leaf("digest", ("algorithm", "SHA1")),
            ElementShape.Leaf("size"),
            ElementShape.Leaf("bundled_size"),
            ElementShape.Leaf("ec2_encrypted_key", ("algorithm", "AES-128-CBC")),
            ElementShape.Leaf("user_encrypted_key", ("algorithm", "AES-128-CBC")),
            ElementShape.Leaf("ec2_encrypted_iv"),
            ElementShape.Leaf("user_encrypted_iv"),
            ElementShape.Group(
                "parts",
                ElementShape.Group("part", ElementShape.Leaf("filename"), ElementShape.Leaf("digest", ("algorithm", "SHA1"))) with
                {
                    Repeats = true,
                    Attributes = [("index", null)],
                }) with
            {
                Attributes = [("count", null)],
            }),
        ElementShape.Leaf("signature"));

    /// <summary>Parses a whole manifest (or the signed fragments wrapped in <c>&lt;manifest&gt;</c>); throws <see cref="XmlException"/> or <see cref="InvalidDataException"/>.</summary>
    public static ManifestElement Parse(string text)
    {
        if (text.Contains("&#", StringComparison.Ordinal))
        {
            throw new InvalidDataException("it holds a character reference (&#...;), which the bundle tools never write");
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = false,
            IgnoreProcessingInstructions = false,
            IgnoreWhitespace = false,
            CheckCharacters = true,
            ConformanceLevel = ConformanceLevel.Document,
        };
        using var reader = XmlReader.Create(new StringReader(text), settings);
        var open = new Stack<(ManifestElement Element, ElementShape Shape)>();
        ManifestElement? root = null;
        var first = true;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.XmlDeclaration:
                    CheckDeclaration(reader, first);
                    break;
                case XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    if (open.TryPeek(out var parent) && parent.Shape.IsLeaf)
                    {
                        parent.Element.Text += reader.Value;
                    }

                    break;
                case XmlNodeType.Text:
                    if (!open.TryPeek(out var leaf) || !leaf.Shape.IsLeaf)
                    {
                        throw new InvalidDataException($"<{(open.Count > 0 ? open.Peek().Element.Name : "manifest")}> holds text beside its elements");
                    }

                    leaf.Element.Text += reader.Value;
                    break;
                case XmlNodeType.Element:
                    var element = OpenElement(reader, open, root is not null);
                    root ??= element.Element;
                    if (reader.IsEmptyElement)
                    {
                        Close(element.Element);
                    }
                    else
                    {
                        open.Push(element);
                    }

                    break;
                case XmlNodeType.EndElement:
                    Close(open.Pop().Element);
                    break;
                default:
                    throw new InvalidDataException($"it holds {Describe(reader.NodeType)}, which a manifest never has and a parser would skip");
            }

            first = false;
        }

        return root ?? throw new InvalidDataException("the document is empty");
    }

    private static void CheckDeclaration(XmlReader reader, bool first)
    {
        if (!first)
        {
            throw new InvalidDataException("the XML declaration is not at the very start");
        }

        var encoding = reader.GetAttribute("encoding");
        if (encoding is not null && !encoding.Equals("UTF-8", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"it declares the encoding '{encoding}'; a manifest is UTF-8");
        }

        if (reader.GetAttribute("standalone") is not null)
        {
            throw new InvalidDataException("its XML declaration has a 'standalone' attribute, which the bundle tools never write");
        }
    }

    private static (ManifestElement Element, ElementShape Shape) OpenElement(XmlReader reader, Stack<(ManifestElement Element, ElementShape Shape)> open, bool rootSeen)
    {
        var name = reader.Name;
        if (reader.Prefix.Length > 0 || reader.NamespaceURI.Length > 0)
        {
            throw new InvalidDataException($"<{name}> is in an XML namespace; a manifest uses none");
        }

        ElementShape shape;
        if (open.Count == 0)
        {
            if (rootSeen || name != Manifest.Name)
            {
                throw new InvalidDataException($"the root element is <{name}>, not <manifest>");
            }

            shape = Manifest;
        }
        else
        {
            var (parent, parentShape) = open.Peek();
            shape = parentShape.Children.FirstOrDefault(child => child.Name == name)
                ?? throw new InvalidDataException($"<{parent.Name}> holds <{name}>, which the format does not define there");
            if (!shape.Repeats && parent.Children.Any(child => child.Name == name))
            {
                throw new InvalidDataException($"<{parent.Name}> holds <{name}> twice");
            }
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                var allowed = shape.Attributes.FirstOrDefault(attribute => attribute.Name == reader.Name);
                if (allowed.Name is null || reader.Prefix.Length > 0)
                {
                    throw new InvalidDataException($"<{name}> has the attribute '{reader.Name}', which the format does not define there");
                }

                if (allowed.Value is { } expected && reader.Value != expected)
                {
                    throw new InvalidDataException($"<{name}> says {reader.Name}=\"{reader.Value}\"; only \"{expected}\" is valid");
                }

                attributes.Add(reader.Name, reader.Value);
            }
            while (reader.MoveToNextAttribute());

            reader.MoveToElement();
        }

        var element = new ManifestElement(name, attributes);
        if (open.Count > 0)
        {
            open.Peek().Element.Children.Add(element);
        }

        return (element, shape);
    }

    private static void Close(ManifestElement element) => element.Text = element.Text.Trim();

    private static string Describe(XmlNodeType type) => type switch
    {
        XmlNodeType.Comment => "a comment",
        XmlNodeType.ProcessingInstruction => "a processing instruction",
        XmlNodeType.CDATA => "a CDATA section",
        XmlNodeType.DocumentType => "a DOCTYPE",
        XmlNodeType.EntityReference => "an entity reference",
        _ => $"a {type} node",
    };

    /// <summary>Where an element may stand, how often, with which attributes (null value: any), and what it holds.</summary>
    private sealed record ElementShape(string Name, IReadOnlyList<ElementShape> Children)
    {
        public bool Repeats { get; init; }

        public IReadOnlyList<(string Name, string? Value)> Attributes { get; init; } = [];

        public bool IsLeaf => Children.Count == 0;

        public static ElementShape Leaf(string name) => new(name, []);

        public static ElementShape Leaf(string name, (string Name, string? Value) attribute) => new(name, []) { Attributes = [attribute] };

        public static ElementShape Group(string name, params ElementShape[] children) => new(name, children);
    }
}
