using System.Globalization;
using System.Xml.Linq;
using ImagePipeline.LocalCloud.Storage;
using static ImagePipeline.LocalCloud.Ec2.Ec2Xml;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>Volumes and snapshots: describe, create and delete snapshots (InvalidSnapshot.InUse while an AMI uses one).</summary>
internal sealed class SnapshotOperations(LocalCloudOptions options, AttachedVolumeFiles files)
{
    public SnapshotRecord NewSnapshot(Ec2Call call, RegionState region, string regionName, string volumeId, int size, string description, bool encrypted, string? kmsKeyId, IEnumerable<Tag> tags)
    {
        var snapshot = new SnapshotRecord
        {
            SnapshotId = ResourceIds.New("snap"),
            Region = regionName,
            OwnerAccountId = call.Caller.AccountId,
            VolumeId = volumeId,
            VolumeSize = size,
            Description = description,
            Encrypted = encrypted,
            KmsKeyId = kmsKeyId,
            StartTime = call.Now,
            CompletesAt = call.Now + options.SnapshotCompletionDelay,
            Timeline = StateTimeline.Starting(call.Now, "pending"),
            Tags = [.. tags],
        };
        snapshot.Timeline.Schedule(call.Now, (options.SnapshotCompletionDelay, "completed"));
        region.Snapshots[snapshot.SnapshotId] = snapshot;
        return snapshot;
    }

    public XElement DescribeVolumes(Ec2Call call)
    {
        var ids = call.Query.List("VolumeId");
        foreach (var id in ids)
        {
            Ec2Ids.RequireVolumeId(id);
        }

        var visible = call.Region.Volumes.Values.Where(v => !v.Deleted && v.OwnerAccountId == call.Caller.AccountId).ToList();
        var missing = ids.FirstOrDefault(id => visible.All(v => v.VolumeId != id));
        if (missing is not null)
        {
            throw Ec2Errors.VolumeNotFound(missing);
        }

        var filters = call.Query.Filters();
        var volumes = visible
            .Where(v => ids.Count == 0 || ids.Contains(v.VolumeId))
            .Where(v => Ec2Filters.Matches(filters, name => name switch
            {
                "volume-id" => [v.VolumeId],
                "attachment.instance-id" => [v.InstanceId],
                "attachment.device" => [v.Device],
                "status" => [VolumeOperations.StatusAt(v, call.Now)],
                "size" => [v.Size.ToString(CultureInfo.InvariantCulture)],
                "volume-type" => [v.VolumeType],
                "snapshot-id" => [v.SnapshotId],
                "availability-zone" => [v.AvailabilityZone],
                "encrypted" => [Bool(v.Encrypted)],
                _ => null,
            }, v.Tags));
        var (volumePage, nextVolumes) = Ec2Paging.Apply(call, volumes.ToList(), 5, 500, "VolumeId");
        return call.Response(new XElement(Ns + "volumeSet", volumePage.Select(v => Item(
            E("volumeId", v.VolumeId),
            E("size", v.Size),
            E("snapshotId", v.SnapshotId ?? ""),
            E("availabilityZone", v.AvailabilityZone),
            E("status", VolumeOperations.StatusAt(v, call.Now)),
            E("createTime", Time(v.CreatedAt)),
            E("attachmentSet", v.InstanceId is null ? null : Item(
                E("volumeId", v.VolumeId),
                E("instanceId", v.InstanceId),
                E("device", v.Device),
                E("status", "attached"),
                E("attachTime", Time(v.CreatedAt)),
                E("deleteOnTermination", Bool(v.DeleteOnTermination)))),
            E("volumeType", v.VolumeType),
            E("iops", 3000),
            E("throughput", 125),
            E("encrypted", Bool(v.Encrypted)),
            E("multiAttachEnabled", "false"),
            TagSet(v.Tags)))), nextVolumes);
    }

    public XElement DescribeSnapshots(Ec2Call call)
    {
        var ids = call.Query.List("SnapshotId");
        foreach (var id in ids)
        {
            Ec2Ids.RequireSnapshotId(id);
        }

        var owners = call.Query.List("Owner").Select(o => o == "self" ? call.Caller.AccountId : o).ToList();
        var restorableBy = call.Query.List("RestorableBy");
        var visible = call.Region.Snapshots.Values.Where(s => s.OwnerAccountId == call.Caller.AccountId).ToList();
        var missing = ids.FirstOrDefault(id => visible.All(s => s.SnapshotId != id));
        if (missing is not null)
        {
            throw Ec2Errors.SnapshotNotFound(missing);
        }

        var filters = call.Query.Filters();
        var snapshots = visible
            .Where(s => ids.Count == 0 || ids.Contains(s.SnapshotId))
            .Where(s => owners.Count == 0 || owners.Contains(s.OwnerAccountId))
            .Where(s => restorableBy.Count == 0 || restorableBy.Any(r => r == "self" || r == "all" || r == s.OwnerAccountId))
            .Where(s => Ec2Filters.Matches(filters, name => name switch
            {
                "snapshot-id" => [s.SnapshotId],
                "status" => [s.Timeline.StateAt(call.Now)],
                "owner-id" => [s.OwnerAccountId],
                "volume-id" => [s.VolumeId],
                "volume-size" => [s.VolumeSize.ToString(CultureInfo.InvariantCulture)],
                "description" => [s.Description],
                "encrypted" => [Bool(s.Encrypted)],
                "progress" => [Progress(s, call.Now)],
                _ => null,
            }, s.Tags));
        var (page, next) = Ec2Paging.Apply(call, snapshots.ToList(), 5, 1000, "SnapshotId");
        return call.Response(new XElement(Ns + "snapshotSet", page.Select(s => SnapshotItem(s, call.Now))), next);
    }

    public XElement DeleteSnapshot(Ec2Call call)
    {
        var id = call.Query.Require("SnapshotId");
        Ec2Ids.RequireSnapshotId(id);
        if (!call.Region.Snapshots.TryGetValue(id, out var snapshot) || snapshot.OwnerAccountId != call.Caller.AccountId)
        {
            throw Ec2Errors.SnapshotNotFound(id);
        }

        var user = call.Region.Images.Values.FirstOrDefault(i => !i.Deregistered && i.BlockDevices.Any(b => b.SnapshotId == id));
        if (user is not null)
        {
            throw Ec2Errors.Error("InvalidSnapshot.InUse", $"The snapshot {id} is currently in use by {user.ImageId}");
        }

        call.Region.Snapshots.Remove(id);
        files.Delete(snapshot.BlobName);
        return call.Return();
    }

    public static string Progress(SnapshotRecord s, DateTimeOffset now)
    {
        if (s.Timeline.StateAt(now) == "completed")
        {
            return "100%";
        }

        var total = (s.CompletesAt - s.StartTime).TotalMilliseconds;
        var done = total <= 0 ? 99 : (int)Math.Clamp((now - s.StartTime).TotalMilliseconds * 100 / total, 0, 99);
        return done.ToString(CultureInfo.InvariantCulture) + "%";
    }

    private static XElement SnapshotItem(SnapshotRecord s, DateTimeOffset now) => Item(
        E("snapshotId", s.SnapshotId),
        E("volumeId", s.VolumeId),
        E("status", s.Timeline.StateAt(now)),
        E("startTime", Time(s.StartTime)),
        E("progress", Progress(s, now)),
        E("ownerId", s.OwnerAccountId),
        E("volumeSize", s.VolumeSize),
        E("description", s.Description),
        E("encrypted", Bool(s.Encrypted)),
        Opt("kmsKeyId", s.KmsKeyId),
        E("storageTier", "standard"),
        TagSet(s.Tags));
}
