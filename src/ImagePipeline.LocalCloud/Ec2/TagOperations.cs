using System.Xml.Linq;
using ImagePipeline.LocalCloud.Storage;
using static ImagePipeline.LocalCloud.Ec2.Ec2Xml;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>CreateTags and DescribeTags over images, snapshots, instances, volumes, key pairs and security groups.</summary>
internal sealed class TagOperations
{
    public XElement Create(Ec2Call call)
    {
        var ids = RequireIds(call);
        var tags = call.Query.Tags("Tag");
        if (tags.Count == 0)
        {
            throw Ec2Errors.MissingParameter("Tag");
        }

        // Every resource is checked before any is changed: a refused call tags nothing, as on AWS.
        var merges = ids.Select(id => Resolve(call, id).Tags)
            .Select(list => (List: list, Merged: list.Where(t => tags.All(n => n.Key != t.Key)).Concat(tags).ToList()))
            .ToList();
        foreach (var (_, merged) in merges)
        {
            TagRules.CheckCount(merged.Count);
        }

        foreach (var (list, merged) in merges)
        {
            list.Clear();
            list.AddRange(merged);
        }

        return call.Return();
    }

    public XElement Describe(Ec2Call call)
    {
        var filters = call.Query.Filters();
        var account = call.Caller.AccountId;
        var all = new List<(string Id, string Type, Tag Tag)>();
        all.AddRange(call.Region.Images.Values.Where(i => !i.Deregistered && i.OwnerAccountId == account).SelectMany(i => i.Tags.Select(t => (i.ImageId, "image", t))));
        all.AddRange(call.Region.Snapshots.Values.Where(s => s.OwnerAccountId == account).SelectMany(s => s.Tags.Select(t => (s.SnapshotId, "snapshot", t))));
        all.AddRange(call.Region.Instances.Values.Where(i => i.OwnerAccountId == account).SelectMany(i => i.Tags.Select(t => (i.InstanceId, "instance", t))));
        all.AddRange(call.Region.Volumes.Values.Where(v => !v.Deleted && v.OwnerAccountId == account).SelectMany(v => v.Tags.Select(t => (v.VolumeId, "volume", t))));
        all.AddRange(call.Region.KeyPairs.Values.Where(k => k.OwnerAccountId == account).SelectMany(k => k.Tags.Select(t => (k.KeyPairId, "key-pair", t))));
        all.AddRange(call.Region.SecurityGroups.Values.Where(g => g.OwnerAccountId == account).SelectMany(g => g.Tags.Select(t => (g.GroupId, "security-group", t))));
        var matching = all.Where(x => Ec2Filters.Matches(filters, name => name switch
        {
            "resource-id" => [x.Id],
            "resource-type" => [x.Type],
            "key" => [x.Tag.Key],
            "value" => [x.Tag.Value],
            _ => null,
        }, [x.Tag]));
        var (page, next) = Ec2Paging.Apply(call, matching.ToList(), 5, 1000, null);
        return call.Response(next, new XElement(Ns + "tagSet", page.Select(x => Item(E("resourceId", x.Id), E("resourceType", x.Type), E("key", x.Tag.Key), E("value", x.Tag.Value)))));
    }

    private static List<string> RequireIds(Ec2Call call)
    {
        var ids = call.Query.List("ResourceId");
        return ids.Count > 0 ? ids : throw Ec2Errors.MissingParameter("ResourceId");
    }

    private static (string Id, string Type, List<Tag> Tags) Resolve(Ec2Call call, string id)
    {
        var account = call.Caller.AccountId;
        var prefix = id.Split('-', 2)[0];
        switch (prefix)
        {
            case "ami":
                Ec2Ids.RequireImageId(id);
                return call.Region.Images.TryGetValue(id, out var image) && !image.Deregistered && image.OwnerAccountId == account
                    ? (id, "image", image.Tags)
                    : throw Ec2Errors.ImageNotFound([id]);
            case "snap":
                Ec2Ids.RequireSnapshotId(id);
                return call.Region.Snapshots.TryGetValue(id, out var snapshot) && snapshot.OwnerAccountId == account
                    ? (id, "snapshot", snapshot.Tags)
                    : throw Ec2Errors.SnapshotNotFound(id);
            case "i":
                Ec2Ids.RequireInstanceId(id);
                return call.Region.Instances.TryGetValue(id, out var instance) && instance.OwnerAccountId == account
                    ? (id, "instance", instance.Tags)
                    : throw Ec2Errors.InstanceNotFound([id]);
            case "vol":
                Ec2Ids.RequireVolumeId(id);
                return call.Region.Volumes.TryGetValue(id, out var volume) && !volume.Deleted && volume.OwnerAccountId == account
                    ? (id, "volume", volume.Tags)
                    : throw Ec2Errors.VolumeNotFound(id);
            case "key" when Ec2Ids.IsWellFormed(id, "key"):
                return call.Region.KeyPairs.TryGetValue(id, out var key) && key.OwnerAccountId == account
                    ? (id, "key-pair", key.Tags)
                    : throw Ec2Errors.Error("InvalidKeyPair.NotFound", $"The key pair ID '{id}' does not exist");
            case "sg" when Ec2Ids.IsWellFormed(id, "sg"):
                return call.Region.SecurityGroups.TryGetValue(id, out var group) && group.OwnerAccountId == account
                    ? (id, "security-group", group.Tags)
                    : throw Ec2Errors.Error("InvalidGroup.NotFound", $"The security group '{id}' does not exist");
            default:
                throw Ec2Ids.UnknownResource(id);
        }
    }
}
