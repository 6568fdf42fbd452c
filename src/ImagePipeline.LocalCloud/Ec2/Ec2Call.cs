using System.Xml.Linq;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>Everything one EC2 action needs; handled under the state gate.</summary>
internal sealed record Ec2Call(QueryParameters Query, CallerContext Caller, CloudState State, RegionState Region, DateTimeOffset Now)
{
    public XElement Response(params object?[] content) => Ec2Xml.Response(Query.Action, Caller.RequestId, content);

    public XElement Return(bool value = true) => Response(Ec2Xml.E("return", Ec2Xml.Bool(value)));

    /// <summary>Another region's state (CopyImage reads the source region).</summary>
    public RegionState RegionNamed(string name) => InstanceFactory.Region(State, name, Now);
}
