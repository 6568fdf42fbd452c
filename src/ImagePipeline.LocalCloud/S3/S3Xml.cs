using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace ImagePipeline.LocalCloud.S3;

/// <summary>S3's XML namespace and the account → canonical user id mapping.</summary>
internal static class S3Xml
{
    public static readonly XNamespace Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    /// <summary>A stable 64-hex canonical user id per account, as S3 shows owners.</summary>
    public static string CanonicalId(string accountId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("localcloud-canonical-" + accountId)));

    public static XElement Owner(string accountId, string element = "Owner") =>
        new(Ns + element, new XElement(Ns + "ID", CanonicalId(accountId)), new XElement(Ns + "DisplayName", "account-" + accountId));

    /// <summary>Parses a request body; S3 answers MalformedXML for anything it cannot read.</summary>
    public static XElement ParseBody(byte[] body)
    {
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(body));
        }
        catch (System.Xml.XmlException)
        {
            throw S3Errors.MalformedXml();
        }
    }

    /// <summary>Finds a child by local name, ignoring the namespace (clients differ on sending it).</summary>
    public static XElement? Child(XElement parent, string name) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public static IEnumerable<XElement> Children(XElement parent, string name) =>
        parent.Elements().Where(e => e.Name.LocalName == name);
}
