using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;
using static ImagePipeline.LocalCloud.Ec2.Ec2Xml;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>
/// BundleInstance for instance-store Windows instances: the task walks pending → waiting-for-shutdown → bundling →
/// storing → complete one BundleTaskStepDelay at a time, and once it reaches storing the bundle (manifest and parts)
/// is written into the bucket so RegisterImage accepts bucket/prefix.manifest.xml.
/// </summary>
internal sealed class BundleOperations(StateStore store, LocalCloudOptions options) : ITimeDrivenWork
{
    private static readonly string[] Steps = ["pending", "waiting-for-shutdown", "bundling", "storing", "complete"];

    private TimeSpan Step => options.BundleTaskStepDelay;

    public XElement BundleInstance(Ec2Call call)
    {
        var instanceId = call.Query.Require("InstanceId");
        var bucket = call.Query.Require("Storage.S3.Bucket");
        var prefix = call.Query.Require("Storage.S3.Prefix");
        var accessKeyId = call.Query.Require("Storage.S3.AWSAccessKeyId");
        var policy = call.Query.Require("Storage.S3.UploadPolicy");
        var signature = call.Query.Require("Storage.S3.UploadPolicySignature");
        if (!options.BundleInstanceSupported)
        {
            throw Ec2Errors.Error(
                "UnsupportedOperation",
                "The BundleInstance operation is no longer supported, and instance store-backed Windows AMIs cannot be created. Create an EBS-backed Windows AMI with CreateImage instead.");
        }

        var instance = InstanceOperations.Find(call, [instanceId]).Single();
        if (instance.Platform != "windows" || instance.RootDeviceType != "instance-store")
        {
            throw Ec2Errors.Error(
                "UnsupportedOperation",
                $"The instance '{instanceId}' is not an instance store-backed Windows instance; BundleInstance applies only to those. Use CreateImage for EBS-backed instances and ec2-bundle-vol for Linux.");
        }

        if (instance.Timeline.StateAt(call.Now) != "running")
        {
            throw Ec2Errors.IncorrectInstanceState($"The instance '{instanceId}' is not in the 'running' state.");
        }

        if (call.Region.BundleTasks.Values.Any(t => t.InstanceId == instanceId && t.Timeline.StateAt(call.Now) is not ("complete" or "failed")))
        {
            throw Ec2Errors.Error("BundlingInProgress", $"The instance '{instanceId}' is already being bundled.");
        }

        if (prefix.Length == 0 || bucket.Length == 0)
        {
            throw Ec2Errors.InvalidParameterValue("Storage.S3.Bucket and Storage.S3.Prefix must not be empty.");
        }

        UploadPolicy.Check(policy, signature, accessKeyId, bucket, prefix, call.Now);
        var keyAccount = LocalCloudAccounts.AccountOf(accessKeyId)!;
        if (!call.State.Buckets.TryGetValue(bucket, out var target) || target.OwnerAccountId != keyAccount)
        {
            throw Ec2Errors.InvalidParameterValue($"The bucket '{bucket}' does not exist or is not owned by the account of Storage.S3.AWSAccessKeyId.");
        }

        if (target.Region != call.Caller.Region)
        {
            throw Ec2Errors.InvalidParameterValue($"The bucket '{bucket}' is in {target.Region}; the bundle must be stored in a bucket in {call.Caller.Region}.");
        }

        var task = new BundleTaskRecord
        {
            BundleId = "bun-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
            Region = call.Caller.Region,
            OwnerAccountId = call.Caller.AccountId,
            InstanceId = instanceId,
            Bucket = bucket,
            Prefix = prefix,
            UploadPolicy = policy,
            StartTime = call.Now,
            Timeline = StateTimeline.Starting(call.Now, "pending"),
        };
        task.Timeline.Schedule(call.Now, [.. Steps.Skip(1).Select((s, i) => (Step * (i + 1), s))]);

        // The instance shuts down for the bundling and comes back once the task is done.
        instance.Timeline.Schedule(
            call.Now,
            (Step, "stopping"),
            (Step * 2, "stopped"),
            (Step * 4, "pending"),
            ((Step * 4) + options.InstanceTransitionDelay, "running"));
        call.Region.BundleTasks[task.BundleId] = task;
        return call.Response(TaskElement(task, call.Now));
    }

    public XElement Describe(Ec2Call call)
    {
        var ids = call.Query.List("BundleId");
        var mine = call.Region.BundleTasks.Values.Where(t => t.OwnerAccountId == call.Caller.AccountId).ToList();
        var missing = ids.FirstOrDefault(id => mine.All(t => t.BundleId != id));
        if (missing is not null)
        {
            throw Ec2Errors.Error("InvalidBundleID.NotFound", $"The bundle ID '{missing}' does not exist");
        }

        var filters = call.Query.Filters();
        var tasks = mine
            .Where(t => ids.Count == 0 || ids.Contains(t.BundleId))
            .Where(t => Ec2Filters.Matches(filters, name => name switch
            {
                "bundle-id" => [t.BundleId],
                "instance-id" => [t.InstanceId],
                "state" => [t.Timeline.StateAt(call.Now)],
                "s3-bucket" => [t.Bucket],
                "s3-prefix" => [t.Prefix],
                "progress" => [Progress(t, call.Now)],
                "error-code" => [ErrorOf(t, call.Now).Code],
                "error-message" => [ErrorOf(t, call.Now).Message],
                "start-time" => [Time(t.StartTime)],
                "update-time" => [Time(t.Timeline.EntryAt(call.Now).At)],
                _ => null,
            }, []));
        return call.Response(new XElement(Ns + "bundleInstanceTasksSet", tasks.Select(t => Item(TaskElement(t, call.Now).Nodes()))));
    }

    public XElement Cancel(Ec2Call call)
    {
        var id = call.Query.Require("BundleId");
        if (!call.Region.BundleTasks.TryGetValue(id, out var task) || task.OwnerAccountId != call.Caller.AccountId)
        {
            throw Ec2Errors.Error("InvalidBundleID.NotFound", $"The bundle ID '{id}' does not exist");
        }

        var state = task.Timeline.StateAt(call.Now);
        if (state is "complete" or "failed" or "cancelling")
        {
            throw Ec2Errors.Error("IncorrectState", $"The bundle task '{id}' is in state '{state}' and cannot be cancelled.");
        }

        task.Timeline.Schedule(call.Now, (TimeSpan.Zero, "cancelling"), (Step, "failed"));
        task.ErrorCode = "Client.Cancelled";
        task.ErrorMessage = "User requested bundle task cancellation";
        if (call.Region.Instances.TryGetValue(task.InstanceId, out var instance) && instance.Timeline.StateAt(call.Now) is not ("running" or "terminated" or "shutting-down"))
        {
            instance.Timeline.Schedule(call.Now, (Step, "pending"), (Step + options.InstanceTransitionDelay, "running"));
        }
        else
        {
            instance?.Timeline.Schedule(call.Now);
        }

        return call.Response(TaskElement(task, call.Now));
    }

    /// <summary>Writes the bundle of every task that has reached storing since the last request.</summary>
    public void RunDueWork()
    {
        using (store.Transaction())
        {
            var now = options.TimeProvider.GetUtcNow();
            var changed = false;
            foreach (var task in store.State.Regions.Values.SelectMany(r => r.BundleTasks.Values))
            {
                if (task.BundleStored || task.Timeline.StateAt(now) is not ("storing" or "complete"))
                {
                    continue;
                }

                task.BundleStored = true;
                changed = true;
                if (!store.State.Buckets.TryGetValue(task.Bucket, out var bucket))
                {
                    task.ErrorCode = "Client.NoSuchBucket";
                    task.ErrorMessage = $"The bucket '{task.Bucket}' does not exist any more.";
                    task.Timeline.Schedule(now, (TimeSpan.Zero, "failed"));
                    continue;
                }

                var name = task.Prefix.Contains('/', StringComparison.Ordinal) ? task.Prefix[(task.Prefix.LastIndexOf('/') + 1)..] : task.Prefix;
                var directory = task.Prefix[..^name.Length];
                var (manifest, parts) = BundleWriter.Write(name, bucket.OwnerAccountId, task.InstanceId);
                foreach (var (fileName, content) in parts)
                {
                    Put(bucket, directory + fileName, content, now);
                }

                Put(bucket, task.Prefix + ".manifest.xml", manifest, now);
            }

            if (changed)
            {
                store.Save();
            }
        }
    }

    private void Put(BucketRecord bucket, string key, byte[] content, DateTimeOffset now)
    {
        if (bucket.Objects.TryGetValue(key, out var previous))
        {
            store.DeleteBlob(previous.BlobName);
        }

        bucket.Objects[key] = new ObjectRecord
        {
            Key = key,
            BlobName = store.WriteBlob(content),
            Size = content.Length,
            ETag = "\"" + Convert.ToHexStringLower(MD5.HashData(content)) + "\"",
            LastModified = now,
            ContentType = "binary/octet-stream",
            CannedAcl = "ec2-bundle-read",
            OwnerAccountId = bucket.OwnerAccountId,
        };
    }

    private static (string? Code, string? Message) ErrorOf(BundleTaskRecord t, DateTimeOffset now) =>
        t.Timeline.StateAt(now) is "failed" or "cancelling" ? (t.ErrorCode, t.ErrorMessage) : (null, null);

    private string Progress(BundleTaskRecord t, DateTimeOffset now)
    {
        var entry = t.Timeline.EntryAt(now);
        var fraction = Step <= TimeSpan.Zero ? 0 : Math.Clamp((now - entry.At) / Step, 0, 1);
        var percent = entry.State switch
        {
            "pending" => 0,
            "waiting-for-shutdown" => 3,
            "bundling" => 10 + (int)(50 * fraction),
            "storing" => 60 + (int)(39 * fraction),
            "complete" => 100,
            _ => 0,
        };
        return percent.ToString(CultureInfo.InvariantCulture) + "%";
    }

    private XElement TaskElement(BundleTaskRecord t, DateTimeOffset now)
    {
        var (code, message) = ErrorOf(t, now);
        return E("bundleInstanceTask", new object?[]
        {
            E("instanceId", t.InstanceId),
            E("bundleId", t.BundleId),
            E("state", t.Timeline.StateAt(now)),
            E("startTime", Time(t.StartTime)),
            E("updateTime", Time(t.Timeline.EntryAt(now).At)),
            E("storage", E("S3", new object?[] { E("bucket", t.Bucket), E("prefix", t.Prefix) })),
            E("progress", Progress(t, now)),
            code is null ? null : E("error", new object?[] { E("code", code), E("message", message) }),
        });
    }
}
