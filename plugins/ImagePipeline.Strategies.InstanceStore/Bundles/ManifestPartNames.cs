using System.Xml;
using System.Xml.Linq;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore.Bundles;

/// <summary>Reads the part file names, in index order, from a bundle manifest.</summary>
public static class ManifestPartNames
{
    public static IReadOnlyList<string> Read(Stream manifest, string where)
    {
        try
        {
            using var reader = XmlReader.Create(manifest, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            var parts = XElement.Load(reader).Element("image")?.Element("parts")?.Elements("part")
                ?? throw new PipelineException($"The manifest {where} lists no parts; the bundle command did not write a complete bundle.");
            return parts
                .OrderBy(part => int.Parse(part.Attribute("index")?.Value ?? "0", System.Globalization.CultureInfo.InvariantCulture))
                .Select(part => part.Element("filename")?.Value ?? throw new PipelineException($"A part in the manifest {where} has no file name."))
                .ToArray();
        }
        catch (XmlException exception)
        {
            throw new PipelineException($"The manifest {where} is not valid XML ({exception.Message}); the bundle command did not write a complete bundle.", exception);
        }
    }
}
