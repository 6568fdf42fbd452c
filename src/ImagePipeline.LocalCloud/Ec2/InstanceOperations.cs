using System.Xml.Linq;
using ImagePipeline.LocalCloud.Storage;
using static ImagePipeline.LocalCloud.Ec2.Ec2Xml;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>
/// Instances: describe, run, stop, start, terminate, reboot. Transitions are scheduled on the instance's timeline,
/// so pending→running, stopping→stopped and shutting-down→terminated happen after InstanceTransitionDelay.
/// </summary>
internal sealed class InstanceOperations(LocalCloudOptions options)
{
    private TimeSpan Delay => options.InstanceTransitionDelay;

    /// <summary>The caller's instances with these ids, or InvalidInstanceID.Malformed / .NotFound.</summary>
    public static List<InstanceRecord> Find(Ec2Call call, IReadOnlyCollection<string> ids)
    {
        foreach (var id in ids)
        {
            Ec2Ids.RequireInstanceId(id);
        }

        var missing = ids.Where(id => !call.Region.Instances.TryGetValue(id, out var i) || i.OwnerAccountId != call.Caller.AccountId).ToList();
        if (missing.Count > 0)
        {
            throw Ec2Errors.InstanceNotFound(missing);
        }

        return [.. ids.Distinct().Select(id => call.Region.Instances[id])];
    }

    public XElement Describe(Ec2Call call)
    {
        var ids = call.Query.List("InstanceId");
        var filters = call.Query.Filters();
        var instances = ids.Count > 0
            ? Find(call, ids)
            : [.. call.Region.Instances.Values.Where(i => i.OwnerAccountId == call.Caller.AccountId)];
        var matching = instances.Where(i => Ec2Filters.Matches(filters, name => Attribute(i, name, call.Now), i.Tags)).ToList();
        var (page, next) = Ec2Paging.Apply(call, matching, 5, 1000, "InstanceId");
        return call.Response(
            new XElement(
                Ns + "reservationSet",
                page.GroupBy(i => i.ReservationId).Select(g => Item(
                    E("reservationId", g.Key),
                    E("ownerId", g.First().OwnerAccountId),
                    E("groupSet", null),
                    E("instancesSet", g.Select(i => InstanceXml.Item(i, call.Now)))))),
            next);
    }

    /// <summary>Status checks: every running instance passes both; stopped ones only with IncludeAllInstances.</summary>
    public XElement DescribeStatus(Ec2Call call)
    {
        var ids = call.Query.List("InstanceId");
        var includeAll = call.Query.Bool("IncludeAllInstances");
        var filters = call.Query.Filters();
        var instances = ids.Count > 0
            ? Find(call, ids)
            : [.. call.Region.Instances.Values.Where(i => i.OwnerAccountId == call.Caller.AccountId)];
        var matching = instances
            .Where(i => includeAll || i.Timeline.StateAt(call.Now) == "running")
            .Where(i => Ec2Filters.Matches(filters, name => name switch
            {
                "instance-state-name" => [i.Timeline.StateAt(call.Now)],
                "instance-status.status" or "system-status.status" => [i.Timeline.StateAt(call.Now) == "running" ? "ok" : "not-applicable"],
                "availability-zone" => [i.Region + "a"],
                _ => null,
            }, []))
            .ToList();
        var (page, next) = Ec2Paging.Apply(call, matching, 5, 1000, "InstanceId");
        XElement Check(string name, bool running) => E(name, new object[]
        {
            E("status", running ? "ok" : "not-applicable"),
            E("details", Item(E("name", "reachability"), E("status", running ? "passed" : "not-applicable"))),
        });
        return call.Response(
            new XElement(Ns + "instanceStatusSet", page.Select(i =>
            {
                var running = i.Timeline.StateAt(call.Now) == "running";
                return Item(
                    E("instanceId", i.InstanceId),
                    E("availabilityZone", i.Region + "a"),
                    InstanceXml.State("instanceState", i.Timeline.StateAt(call.Now)),
                    Check("systemStatus", running),
                    Check("instanceStatus", running),
                    E("attachedEbsStatus", E("status", running && i.RootDeviceType == "ebs" ? "ok" : "not-applicable")));
            })),
            next);
    }

    public XElement Run(Ec2Call call)
    {
        var reservation = call.Idempotent(() => RunOnce(call));
        var created = call.Region.Instances.Values.Where(i => i.ReservationId == reservation).ToList();
        return call.Response(
            E("reservationId", reservation),
            E("ownerId", call.Caller.AccountId),
            E("groupSet", null),
            E("instancesSet", created.Select(i => InstanceXml.Item(i, call.Now))));
    }

    private string RunOnce(Ec2Call call)
    {
        var imageId = call.Query.Require("ImageId");
        var min = call.Query.Int("MinCount") ?? throw Ec2Errors.MissingParameter("MinCount");
        var max = call.Query.Int("MaxCount") ?? throw Ec2Errors.MissingParameter("MaxCount");
        if (min < 1 || max < min)
        {
            throw Ec2Errors.InvalidParameterValue($"Invalid value '{min}' for MinCount. Must be between 1 and MaxCount.");
        }

        var image = ImageOperations.FindVisible(call, [imageId]).Single();
        if (image.Timeline.StateAt(call.Now) != "available")
        {
            throw Ec2Errors.Error("InvalidAMIID.Unavailable", $"The image id '[{imageId}]' is not available");
        }

        var tagSpecs = call.Query.TagSpecifications("instance", "volume");
        var reservation = ResourceIds.New("r");
        for (var n = 0; n < max; n++)
        {
            var instance = InstanceFactory.Create(call.Region, new InstanceSeed
            {
                Region = call.Caller.Region,
                Platform = image.Platform,
                RootDeviceType = image.RootDeviceType,
                OwnerAccountId = call.Caller.AccountId,
                State = "pending",
                InstanceType = call.Query.Get("InstanceType") ?? "m1.small",
                Tags = (tagSpecs.GetValueOrDefault("instance") ?? []).ToDictionary(t => t.Key, t => t.Value),
            }, call.Now);
            instance.ImageId = image.ImageId;
            instance.ReservationId = reservation;
            instance.Architecture = image.Architecture;
            instance.Timeline.Schedule(call.Now, (Delay, "running"));
        }

        return reservation;
    }

    public XElement Stop(Ec2Call call)
    {
        var instances = Find(call, RequireIds(call));
        var force = call.Query.Bool("Force");
        foreach (var i in instances)
        {
            var state = i.Timeline.StateAt(call.Now);
            if (i.RootDeviceType != "ebs")
            {
                throw Ec2Errors.Error("UnsupportedOperation", $"The instance '{i.InstanceId}' does not have an 'ebs' root device type and cannot be stopped.");
            }

            if (state is "pending" or "shutting-down" or "terminated")
            {
                throw Ec2Errors.IncorrectInstanceState($"This instance '{i.InstanceId}' is not in a state from which it can be stopped.");
            }
        }

        return Transition(call, instances, i => i.Timeline.StateAt(call.Now) switch
        {
            "running" => [(TimeSpan.Zero, "stopping"), (force ? TimeSpan.Zero : Delay, "stopped")],
            _ => null,
        }, "instancesSet");
    }

    public XElement Start(Ec2Call call)
    {
        var instances = Find(call, RequireIds(call));
        foreach (var i in instances)
        {
            var state = i.Timeline.StateAt(call.Now);
            if (state is "stopping" or "shutting-down" or "terminated")
            {
                throw Ec2Errors.IncorrectInstanceState($"The instance '{i.InstanceId}' is not in a state from which it can be started.");
            }
        }

        return Transition(call, instances, i => i.Timeline.StateAt(call.Now) switch
        {
            "stopped" => [(TimeSpan.Zero, "pending"), (Delay, "running")],
            _ => null,
        }, "instancesSet");
    }

    public XElement Terminate(Ec2Call call)
    {
        var instances = Find(call, RequireIds(call));
        var response = Transition(call, instances, i => i.Timeline.StateAt(call.Now) switch
        {
            "terminated" or "shutting-down" => null,
            _ => [(TimeSpan.Zero, "shutting-down"), (Delay, "terminated")],
        }, "instancesSet");
        foreach (var volume in call.Region.Volumes.Values.Where(v => instances.Any(i => i.InstanceId == v.InstanceId) && v.DeleteOnTermination))
        {
            volume.Deleted = true;
        }

        return response;
    }

    private static List<string> RequireIds(Ec2Call call)
    {
        var ids = call.Query.List("InstanceId");
        return ids.Count > 0 ? ids : throw Ec2Errors.MissingParameter("InstanceId");
    }

    private static XElement Transition(Ec2Call call, List<InstanceRecord> instances, Func<InstanceRecord, (TimeSpan, string)[]?> steps, string setName)
    {
        var items = new List<XElement>();
        foreach (var i in instances)
        {
            var previous = i.Timeline.StateAt(call.Now);
            if (steps(i) is { } schedule)
            {
                i.Timeline.Schedule(call.Now, schedule);
            }

            items.Add(Item(E("instanceId", i.InstanceId), InstanceXml.State("currentState", i.Timeline.StateAt(call.Now)), InstanceXml.State("previousState", previous)));
        }

        return call.Response(new XElement(Ns + setName, items));
    }

    private static IEnumerable<string?>? Attribute(InstanceRecord i, string name, DateTimeOffset now) => name switch
    {
        "instance-id" => [i.InstanceId],
        "instance-state-name" => [i.Timeline.StateAt(now)],
        "instance-state-code" => [InstanceXml.StateCode(i.Timeline.StateAt(now)).ToString(System.Globalization.CultureInfo.InvariantCulture)],
        "image-id" => [i.ImageId],
        "instance-type" => [i.InstanceType],
        "platform" => [i.Platform],
        "root-device-type" => [i.RootDeviceType],
        "root-device-name" => [i.RootDeviceName],
        "architecture" => [i.Architecture],
        "reservation-id" => [i.ReservationId],
        "owner-id" => [i.OwnerAccountId],
        "availability-zone" => [i.Region + "a"],
        "private-ip-address" => [i.PrivateIpAddress],
        "virtualization-type" => [i.VirtualizationType],
        "block-device-mapping.volume-id" => i.BlockDevices.Select(b => b.VolumeId),
        "block-device-mapping.device-name" => i.BlockDevices.Select(b => b.DeviceName),
        _ => null,
    };
}
