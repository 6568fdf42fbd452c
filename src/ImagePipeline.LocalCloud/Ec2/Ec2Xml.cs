using System.Globalization;
using System.Xml.Linq;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>EC2's response namespace and the element shapes several responses share.</summary>
internal static class Ec2Xml
{
    public static readonly XNamespace Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    public static XElement Response(string action, string requestId, params object?[] content) =>
        new(Ns + (action + "Response"), new XElement(Ns + "requestId", requestId), content);

    public static XElement E(string name, object? value) => new(Ns + name, value);

    /// <summary>An element only when the value is present.</summary>
    public static XElement? Opt(string name, object? value) => value is null ? null : new XElement(Ns + name, value);

    public static string Bool(bool value) => value ? "true" : "false";

    public static XElement Set(string name, IEnumerable<XElement> items) =>
        new(Ns + name, items.Select(i => new XElement(Ns + "item", i.Nodes())));

    public static XElement Item(params object?[] content) => new(Ns + "item", content);

    public static XElement TagSet(IEnumerable<Tag> tags) =>
        new(Ns + "tagSet", tags.Select(t => Item(E("key", t.Key), E("value", t.Value))));

    public static string Time(DateTimeOffset time) => AwsTime.Iso(time);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
