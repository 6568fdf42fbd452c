using System.Xml.Linq;
using ImagePipeline.LocalCloud.Storage;
using static ImagePipeline.LocalCloud.Ec2.Ec2Xml;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>
/// Instances: describe, status checks, run, stop, start, terminate. Transitions are scheduled on the instance's timeline,
/// so pending→running, stopping→stopped and shutting-down→terminated happen after InstanceTransitionDelay.
/// </summary>
internal sealed class InstanceOperations(LocalCloudOptions options)
{
    private readonly InstanceLauncher _launcher = new(options);

    private TimeSpan Delay => options.InstanceTransitionDelay;

    /// <summary>The caller's instances with these ids, or InvalidInstanceID.Malformed / .NotFound.</summary>
    public static List<InstanceRecord> Find(Ec2Call call, IReadOnlyCollection<string> ids)
    {
        foreach (var id in ids)
        {
            Ec2Ids.RequireInstanceId(id);
        }

        var missing = ids.Where(id => !call.Region.Instances.TryGetValue(id, out var i) || i.OwnerAccountId != call.Caller.AccountId || !StillListed(i, call.Now)).ToList();
        if (missing.Count > 0)
        {
            throw Ec2Errors.InstanceNotFound(missing);
        }

        return [.. ids.Distinct().Select(id => call.Region.Instances[id])];
    }

    /// <summary>How long EC2 keeps listing a terminated instance (about an hour).</summary>
    public static readonly TimeSpan TerminatedInstanceRetention = TimeSpan.FromHours(1);

    /// <summary>False once an instance has been terminated for longer than EC2 lists it.</summary>
    public static bool StillListed(InstanceRecord i, DateTimeOffset now)
    {
        var entry = i.Timeline.EntryAt(now);
        return entry.State != "terminated" || now - entry.At < TerminatedInstanceRetention;
    }

    public XElement Describe(Ec2Call call)
    {
        var ids = call.Query.List("InstanceId");
        var filters = call.Query.Filters();
        var instances = ids.Count > 0
            ? Find(call, ids)
            : [.. call.Region.Instances.Values.Where(i => i.OwnerAccountId == call.Caller.AccountId && StillListed(i, call.Now))];
        var matching = instances.Where(i => Ec2Filters.Matches(filters, name => Attribute(i, name, call.Now), i.Tags)).ToList();
        var (page, next) = Ec2Paging.Apply(call, matching, 5, 1000, "InstanceId");
        return call.Response(
            new XElement(
                Ns + "reservationSet",
                page.GroupBy(i => i.ReservationId).Select(g => Item(
                    E("reservationId", g.Key),
                    E("ownerId", g.First().OwnerAccountId),
                    E("groupSet", null),
                    E("instancesSet", g.Select(i => InstanceXml.Item(i, call.Now, call.Region)))))),
            next);
    }

    /// <summary>
    /// Status checks as EC2 reports them: <c>initializing</c> for one InstanceTransitionDelay after an instance came up
    /// from pending, then <c>ok</c> (reachability passed); instances that are not running are listed only with
    /// IncludeAllInstances, as <c>not-applicable</c>. Seeded instances have been running all along: ok at once.
    /// </summary>
    public XElement DescribeStatus(Ec2Call call)
    {
        var ids = call.Query.List("InstanceId");
        var includeAll = call.Query.Bool("IncludeAllInstances");
        var filters = call.Query.Filters();
        var instances = ids.Count > 0
            ? Find(call, ids)
            : [.. call.Region.Instances.Values.Where(i => i.OwnerAccountId == call.Caller.AccountId && StillListed(i, call.Now))];
        var matching = instances
            .Where(i => includeAll || i.Timeline.StateAt(call.Now) == "running")
            .Where(i => Ec2Filters.Matches(filters, name => name switch
            {
                "instance-state-name" => [i.Timeline.StateAt(call.Now)],
                "instance-state-code" => [InstanceXml.StateCode(i.Timeline.StateAt(call.Now)).ToString(System.Globalization.CultureInfo.InvariantCulture)],
                "instance-status.status" or "system-status.status" => [CheckStatus(i, call.Now)],
                "instance-status.reachability" or "system-status.reachability" => [Reachability(CheckStatus(i, call.Now))],
                "availability-zone" => [InstanceXml.Zone(i)],
                _ => null,
            }, []))
            .ToList();
        var (page, next) = Ec2Paging.Apply(call, matching, 5, 1000, "InstanceId");
        XElement Check(string name, string status) => E(name, new object[]
        {
            E("status", status),
            E("details", Item(E("name", "reachability"), E("status", Reachability(status)))),
        });
        return call.Response(
            new XElement(Ns + "instanceStatusSet", page.Select(i =>
            {
                var status = CheckStatus(i, call.Now);
                return Item(
                    E("instanceId", i.InstanceId),
                    E("availabilityZone", InstanceXml.Zone(i)),
                    InstanceXml.State("instanceState", i.Timeline.StateAt(call.Now)),
                    Check("systemStatus", status),
                    Check("instanceStatus", status),
                    E("attachedEbsStatus", E("status", status == "ok" && i.RootDeviceType == "ebs" ? "ok" : status == "initializing" ? "initializing" : "not-applicable")));
            })),
            next);
    }

    private string CheckStatus(InstanceRecord i, DateTimeOffset now)
    {
        var entries = i.Timeline.Entries;
        var current = i.Timeline.EntryAt(now);
        if (current.State != "running")
        {
            return "not-applicable";
        }

        var index = entries.IndexOf(current);
        var cameUp = index > 0 && entries[index - 1].State == "pending";
        return cameUp && now - current.At < Delay ? "initializing" : "ok";
    }

    private static string Reachability(string status) => status switch
    {
        "ok" => "passed",
        "initializing" => "initializing",
        _ => "not-applicable",
    };

    public XElement Run(Ec2Call call)
    {
        var reservation = call.Idempotent(() => _launcher.Launch(call));
        var created = call.Region.Instances.Values.Where(i => i.ReservationId == reservation).ToList();
        return call.Response(
            E("reservationId", reservation),
            E("ownerId", call.Caller.AccountId),
            E("groupSet", null),
            E("instancesSet", created.Select(i => InstanceXml.Item(i, call.Now, call.Region))));
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

    /// <summary>Terminates; volumes that go with the instance are deleted, <paramref name="detachKept"/> detaches the others.</summary>
    public XElement Terminate(Ec2Call call, Action<RegionState, IReadOnlyList<InstanceRecord>> detachKept)
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

        detachKept(call.Region, instances);
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
        "availability-zone" => [InstanceXml.Zone(i)],
        "private-ip-address" => [i.PrivateIpAddress],
        "ip-address" => [i.PublicIpAddress],
        "subnet-id" => [i.SubnetId],
        "vpc-id" => [i.VpcId],
        "key-name" => [i.KeyName],
        "instance.group-id" => i.SecurityGroupIds,
        "client-token" => [i.ClientToken],
        "iam-instance-profile.arn" => [i.IamInstanceProfileArn],
        "virtualization-type" => [i.VirtualizationType],
        "block-device-mapping.volume-id" => i.BlockDevices.Select(b => b.VolumeId),
        "block-device-mapping.device-name" => i.BlockDevices.Select(b => b.DeviceName),
        _ => null,
    };
}
