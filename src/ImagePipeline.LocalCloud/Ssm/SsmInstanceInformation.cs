using System.Text.Json.Nodes;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.LocalCloud.Ssm;

/// <summary>DescribeInstanceInformation: which instances have an SSM agent and whether it is online.</summary>
internal static class SsmInstanceInformation
{
    public static JsonObject Describe(JsonObject request, CallerContext caller, RegionState region, DateTimeOffset now)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var filter in request["InstanceInformationFilterList"]?.AsArray() ?? [])
        {
            if (filter?["key"]?.GetValue<string>() == "InstanceIds")
            {
                wanted.UnionWith(filter["valueSet"]?.AsArray().Select(v => v!.GetValue<string>()) ?? []);
            }
        }

        foreach (var filter in request["Filters"]?.AsArray() ?? [])
        {
            if (filter?["Key"]?.GetValue<string>() == "InstanceIds")
            {
                wanted.UnionWith(filter["Values"]?.AsArray().Select(v => v!.GetValue<string>()) ?? []);
            }
        }

        var list = new JsonArray();
        foreach (var instance in region.Instances.Values.Where(i => i.OwnerAccountId == caller.AccountId && i.SsmManaged && (wanted.Count == 0 || wanted.Contains(i.InstanceId))))
        {
            var state = instance.Timeline.StateAt(now);
            if (state is "terminated" or "shutting-down" or "pending")
            {
                continue;
            }

            list.Add(new JsonObject
            {
                ["InstanceId"] = instance.InstanceId,
                ["PingStatus"] = state == "running" ? "Online" : "ConnectionLost",
                ["LastPingDateTime"] = SsmCommandOperations.Epoch(now),
                ["AgentVersion"] = "3.3.1142.0",
                ["IsLatestVersion"] = true,
                ["PlatformType"] = instance.Platform == "windows" ? "Windows" : "Linux",
                ["PlatformName"] = instance.Platform == "windows" ? "Microsoft Windows Server 2022 Datacenter" : "Amazon Linux",
                ["PlatformVersion"] = instance.Platform == "windows" ? "10.0.20348" : "2023",
                ["ResourceType"] = "EC2Instance",
                ["IPAddress"] = instance.PrivateIpAddress,
                ["ComputerName"] = "ip-" + instance.PrivateIpAddress.Replace('.', '-'),
            });
        }

        return new JsonObject { ["InstanceInformationList"] = list };
    }
}
