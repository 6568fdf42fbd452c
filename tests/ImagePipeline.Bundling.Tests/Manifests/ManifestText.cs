using System.Xml.Linq;

namespace ImagePipeline.Bundling.Tests.Manifests;

/// <summary>Reads values from a manifest the way an outside tool would: from the XML text.</summary>
public sealed class ManifestText
{
    public ManifestText(string path)
    {
        Text = File.ReadAllText(path);
        Image = XDocument.Parse(Text).Root!.Element("image")!;
    }

    public string Text { get; }

    public XElement Image { get; }

    public string Value(string element) => Image.Element(element)!.Value;

    public string Signature => XDocument.Parse(Text).Root!.Element("signature")!.Value;

    /// <summary>The signed text per the spec: the two cut-out substrings, concatenated.</summary>
    public string SignedText => Cut("machine_configuration") + Cut("image");

    private string Cut(string element)
    {
        var start = Text.IndexOf($"<{element}>", StringComparison.Ordinal);
        var close = $"</{element}>";
        var end = Text.IndexOf(close, StringComparison.Ordinal) + close.Length;
        return Text[start..end];
    }
}
