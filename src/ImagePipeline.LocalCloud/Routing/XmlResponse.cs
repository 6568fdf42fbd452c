using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.Routing;

/// <summary>Writes an XML document as a response body.</summary>
internal static class XmlResponse
{
    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        OmitXmlDeclaration = false,
        Async = true,
    };

    public static async Task WriteAsync(HttpContext context, XElement root, int statusCode, CancellationToken cancellationToken)
    {
        var bytes = Serialize(root);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/xml";
        context.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(bytes, cancellationToken);
        }
    }

    public static byte[] Serialize(XElement root)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, Settings))
        {
            new XDocument(new XDeclaration("1.0", "UTF-8", null), root).Save(writer);
        }

        return stream.ToArray();
    }
}
