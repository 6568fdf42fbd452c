using System.Text.RegularExpressions;
using System.Xml.Linq;
using ImagePipeline.LocalCloud.Storage;
using static ImagePipeline.LocalCloud.Ec2.Ec2Xml;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>
/// CreateVolume, AttachVolume, DetachVolume, DeleteVolume and CreateSnapshot, with EC2's rules: a volume lives in one
/// zone and attaches only to an instance there, once, at a free device name; only an <c>available</c> volume is
/// deleted; a snapshot keeps the volume's bytes as they were (<see cref="AttachedVolumeFiles"/>).
/// </summary>
internal sealed partial class VolumeOperations(LocalCloudOptions options, SnapshotOperations snapshots, AttachedVolumeFiles files)
{
    private static readonly Dictionary<string, (int Minimum, int Maximum)> SizeLimits = new(StringComparer.Ordinal)
    {
        ["standard"] = (1, 1024),
        ["gp2"] = (1, 16384),
        ["gp3"] = (1, 16384),
        ["io1"] = (4, 16384),
        ["io2"] = (4, 16384),
        ["st1"] = (125, 16384),
        ["sc1"] = (125, 16384),
    };

    [GeneratedRegex("^/dev/(sd[a-z][1-9]?|xvd[a-z]{1,2})$")]
    private static partial Regex DeviceName();

    public static string StatusAt(VolumeRecord volume, DateTimeOffset now) =>
        volume.InstanceId is not null ? "in-use" : volume.AvailableAt > now ? "creating" : "available";

    public XElement Create(Ec2Call call)
    {
        var zone = call.Query.Get("AvailabilityZone") ?? throw Ec2Errors.MissingParameter("AvailabilityZone");
        if (!DefaultNetwork.ZoneSuffixes.Any(suffix => call.Caller.Region + suffix == zone))
        {
            throw Ec2Errors.InvalidParameterValue($"Invalid availability zone: [{zone}]");
        }

        var type = call.Query.Get("VolumeType") ?? "gp2";
        if (!SizeLimits.TryGetValue(type, out var limits))
        {
            throw Ec2Errors.InvalidParameterValue($"Value ({type}) for parameter volumeType is invalid. Valid types are: {string.Join(", ", SizeLimits.Keys)}");
        }

        SnapshotRecord? snapshot = null;
        if (call.Query.Get("SnapshotId") is { } snapshotId)
        {
            Ec2Ids.RequireSnapshotId(snapshotId);
            if (!call.Region.Snapshots.TryGetValue(snapshotId, out snapshot) || snapshot.OwnerAccountId != call.Caller.AccountId)
            {
                throw Ec2Errors.SnapshotNotFound(snapshotId);
            }

            // As AWS: a volume is restored only from a snapshot that has completed.
            if (snapshot.Timeline.StateAt(call.Now) != "completed")
            {
                throw Ec2Errors.Error("IncorrectState", $"Snapshot '{snapshotId}' is not 'completed'.");
            }
        }

        var size = call.Query.Int("Size") ?? snapshot?.VolumeSize ?? throw Ec2Errors.MissingParameter("Size");
        if (size < limits.Minimum || size > limits.Maximum)
        {
            throw Ec2Errors.InvalidParameterValue($"Volume of {size}GiB is outside the range {limits.Minimum}-{limits.Maximum}GiB for volume type {type}.");
        }

        if (snapshot is not null && size < snapshot.VolumeSize)
        {
            throw Ec2Errors.InvalidParameterValue($"Volume of size {size}GB is smaller than snapshot '{snapshot.SnapshotId}', expect size >= {snapshot.VolumeSize}GB");
        }

        var tags = call.Query.TagSpecifications("volume").GetValueOrDefault("volume") ?? [];
        var volumeId = call.Idempotent(() =>
        {
            var volume = new VolumeRecord
            {
                VolumeId = ResourceIds.New("vol"),
                Region = call.Caller.Region,
                OwnerAccountId = call.Caller.AccountId,
                Size = size,
                VolumeType = type,
                SnapshotId = snapshot?.SnapshotId,
                AvailabilityZone = zone,
                CreatedAt = call.Now,
                AvailableAt = call.Now + options.InstanceTransitionDelay,
                DeleteOnTermination = false,
                Encrypted = call.Query.Bool("Encrypted") || snapshot?.Encrypted == true,
                Tags = [.. tags],
                BlobName = files.CreateBlob(size, snapshot),
            };
            call.Region.Volumes[volume.VolumeId] = volume;
            return volume.VolumeId;
        }, id => call.Region.Volumes.TryGetValue(id, out var existing) && !existing.Deleted);
        var created = call.Region.Volumes[volumeId];
        return call.Response(
            E("volumeId", created.VolumeId),
            E("size", created.Size),
            E("snapshotId", created.SnapshotId ?? ""),
            E("availabilityZone", created.AvailabilityZone),
            E("status", StatusAt(created, call.Now)),
            E("createTime", Time(created.CreatedAt)),
            E("volumeType", created.VolumeType),
            E("encrypted", Bool(created.Encrypted)),
            E("multiAttachEnabled", "false"),
            TagSet(created.Tags));
    }

    public XElement Attach(Ec2Call call)
    {
        var volume = Find(call, call.Query.Require("VolumeId"));
        var instanceId = call.Query.Require("InstanceId");
        var device = call.Query.Require("Device");
        Ec2Ids.RequireInstanceId(instanceId);
        if (!call.Region.Instances.TryGetValue(instanceId, out var instance) || instance.OwnerAccountId != call.Caller.AccountId)
        {
            throw Ec2Errors.InstanceNotFound([instanceId]);
        }

        if (!DeviceName().IsMatch(device))
        {
            throw Ec2Errors.InvalidParameterValue($"Value ({device}) for parameter device is invalid. {device} is not a valid EBS device name.");
        }

        var status = StatusAt(volume, call.Now);
        if (status == "in-use")
        {
            throw Ec2Errors.Error("VolumeInUse", $"{volume.VolumeId} is already attached to an instance");
        }

        if (status != "available")
        {
            throw Ec2Errors.Error("IncorrectState", $"{volume.VolumeId} is not 'available'.");
        }

        var state = instance.Timeline.StateAt(call.Now);
        if (state is not ("running" or "stopped"))
        {
            throw Ec2Errors.IncorrectInstanceState($"Instance '{instanceId}' is not 'running'.");
        }

        if ((instance.AvailabilityZone ?? instance.Region + "a") != volume.AvailabilityZone)
        {
            throw Ec2Errors.Error("InvalidVolume.ZoneMismatch", $"The volume '{volume.VolumeId}' is not in the same availability zone as instance '{instanceId}'");
        }

        if (instance.BlockDevices.Any(b => b.DeviceName == device) || instance.RootDeviceName == device)
        {
            throw Ec2Errors.InvalidParameterValue($"Invalid value '{device}' for unixDevice. Attachment point {device} is already in use");
        }

        volume.InstanceId = instanceId;
        volume.Device = device;
        volume.DeleteOnTermination = false;
        instance.BlockDevices.Add(new BlockDeviceRecord { DeviceName = device, VolumeId = volume.VolumeId, VolumeSize = volume.Size, VolumeType = volume.VolumeType, DeleteOnTermination = false });
        files.Expose(volume);
        return Attachment(call, volume, instanceId, device, "attaching");
    }

    public XElement Detach(Ec2Call call)
    {
        var volume = Find(call, call.Query.Require("VolumeId"));
        if (volume.InstanceId is not { } instanceId || volume.Device is not { } device)
        {
            throw Ec2Errors.Error("IncorrectState", $"Volume '{volume.VolumeId}' is in the '{StatusAt(volume, call.Now)}' state.");
        }

        if (call.Query.Get("InstanceId") is { } named && named != instanceId)
        {
            throw Ec2Errors.Error("InvalidAttachment.NotFound", $"The volume '{volume.VolumeId}' is not attached to instance '{named}'.");
        }

        var instance = call.Region.Instances[instanceId];
        if (instance.RootDeviceName == device && instance.Timeline.StateAt(call.Now) != "stopped")
        {
            throw Ec2Errors.Error("OperationNotPermitted", $"The volume '{volume.VolumeId}' is the root device of instance '{instanceId}' and cannot be detached while it is running.");
        }

        DetachFrom(instance, volume);
        return Attachment(call, volume, instanceId, device, "detaching");
    }

    public XElement Delete(Ec2Call call)
    {
        var volume = Find(call, call.Query.Require("VolumeId"));
        if (volume.InstanceId is { } instanceId)
        {
            throw Ec2Errors.Error("VolumeInUse", $"Volume {volume.VolumeId} is currently attached to {instanceId}");
        }

        volume.Deleted = true;
        files.Delete(volume.BlobName);
        volume.BlobName = null;
        return call.Return();
    }

    public XElement CreateSnapshot(Ec2Call call)
    {
        var volume = Find(call, call.Query.Require("VolumeId"));
        if (StatusAt(volume, call.Now) == "creating")
        {
            throw Ec2Errors.Error("IncorrectState", $"The volume '{volume.VolumeId}' is not in a state to be snapshotted ('creating').");
        }

        var tags = call.Query.TagSpecifications("snapshot").GetValueOrDefault("snapshot") ?? [];
        var description = call.Query.Get("Description") ?? "";
        var snapshot = snapshots.NewSnapshot(call, call.Region, call.Caller.Region, volume.VolumeId, volume.Size, description, volume.Encrypted, null, tags);
        snapshot.BlobName = files.CopyBlob(volume);
        return call.Response(
            E("snapshotId", snapshot.SnapshotId),
            E("volumeId", snapshot.VolumeId),
            E("status", snapshot.Timeline.StateAt(call.Now)),
            E("startTime", Time(snapshot.StartTime)),
            E("progress", SnapshotOperations.Progress(snapshot, call.Now)),
            E("ownerId", snapshot.OwnerAccountId),
            E("volumeSize", snapshot.VolumeSize),
            E("description", snapshot.Description),
            E("encrypted", Bool(snapshot.Encrypted)),
            TagSet(snapshot.Tags));
    }

    /// <summary>What terminating an instance does to the volumes it keeps: they are detached and become available.</summary>
    public void DetachKeptVolumes(RegionState region, IEnumerable<InstanceRecord> terminated)
    {
        foreach (var instance in terminated)
        {
            foreach (var volume in region.Volumes.Values.Where(v => v.InstanceId == instance.InstanceId && !v.Deleted && !v.DeleteOnTermination).ToList())
            {
                DetachFrom(instance, volume);
            }
        }
    }

    private void DetachFrom(InstanceRecord instance, VolumeRecord volume)
    {
        files.Withdraw(volume);
        instance.BlockDevices.RemoveAll(b => b.VolumeId == volume.VolumeId);
        volume.InstanceId = null;
        volume.Device = null;
    }

    private static VolumeRecord Find(Ec2Call call, string volumeId)
    {
        Ec2Ids.RequireVolumeId(volumeId);
        return call.Region.Volumes.TryGetValue(volumeId, out var volume) && !volume.Deleted && volume.OwnerAccountId == call.Caller.AccountId
            ? volume
            : throw Ec2Errors.VolumeNotFound(volumeId);
    }

    private static XElement Attachment(Ec2Call call, VolumeRecord volume, string instanceId, string device, string status) => call.Response(
        E("volumeId", volume.VolumeId),
        E("instanceId", instanceId),
        E("device", device),
        E("status", status),
        E("attachTime", Time(call.Now)),
        E("deleteOnTermination", Bool(false)));
}
