using System.Xml.Linq;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>Everything one EC2 action needs; handled under the state gate.</summary>
internal sealed record Ec2Call(QueryParameters Query, CallerContext Caller, CloudState State, RegionState Region, DateTimeOffset Now)
{
    public XElement Response(params object?[] content) => Ec2Xml.Response(Query.Action, Caller.RequestId, content);

    public XElement Return(bool value = true) => Response(Ec2Xml.E("return", Ec2Xml.Bool(value)));

    /// <summary>
    /// Idempotency as EC2 does it: the first call with a ClientToken runs <paramref name="create"/>; a retry with the
    /// same token and parameters gets the same id; the same token with other parameters is IdempotentParameterMismatch.
    /// </summary>
    public string Idempotent(Func<string> create, Func<string, bool>? stillExists = null)
    {
        var token = Query.Get("ClientToken");
        if (string.IsNullOrEmpty(token))
        {
            return create();
        }

        // Tokens are per account (and per region, being kept in the region's state).
        var key = Caller.AccountId + ":" + token;
        var digest = Query.Digest();
        if (Region.ClientTokens.TryGetValue(key, out var previous))
        {
            if (previous.Action != Query.Action || previous.ParameterDigest != digest)
            {
                throw Ec2Errors.Error("IdempotentParameterMismatch", "The client token you have provided is associated with a request that has different parameters.");
            }

            if (stillExists is not null && !stillExists(previous.ResultId))
            {
                throw Ec2Errors.Error("IdempotentParameterMismatch", "The client token you have provided is associated with a resource that is already deleted. Please use a different client token.");
            }

            return previous.ResultId;
        }

        var id = create();
        Region.ClientTokens[key] = new ClientTokenRecord(Query.Action, digest, id);
        return id;
    }

    /// <summary>Another region's state (CopyImage reads the source region).</summary>
    public RegionState RegionNamed(string name) => InstanceFactory.Region(State, name, Now);
}
