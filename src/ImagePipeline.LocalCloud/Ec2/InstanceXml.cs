using System.Xml.Linq;
using ImagePipeline.LocalCloud.Storage;
using static ImagePipeline.LocalCloud.Ec2.Ec2Xml;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>The instancesSet item and instance-state shapes.</summary>
internal static class InstanceXml
{
    public static int StateCode(string state) => state switch
    {
        "pending" => 0,
        "running" => 16,
        "shutting-down" => 32,
        "terminated" => 48,
        "stopping" => 64,
        "stopped" => 80,
        _ => 0,
    };

    public static XElement State(string element, string state) =>
        E(element, new object[] { E("code", StateCode(state)), E("name", state) });

    /// <summary>The zone an instance is in; instances recorded before zones were kept are in the region's first.</summary>
    public static string Zone(InstanceRecord i) => i.AvailabilityZone ?? i.Region + "a";

    public static XElement Item(InstanceRecord i, DateTimeOffset now, RegionState region)
    {
        var groups = region.SecurityGroups;
        var state = i.Timeline.StateAt(now);
        return Ec2Xml.Item(
            E("instanceId", i.InstanceId),
            E("imageId", i.ImageId),
            State("instanceState", state),
            E("privateDnsName", $"ip-{i.PrivateIpAddress.Replace('.', '-')}.{i.Region}.compute.internal"),
            E("dnsName", i.PublicIpAddress is { } publicIp && state != "terminated" ? $"ec2-{publicIp.Replace('.', '-')}.{i.Region}.compute.amazonaws.com" : ""),
            E("reason", state is "stopped" or "stopping" ? "User initiated" : ""),
            Opt("keyName", i.KeyName),
            E("amiLaunchIndex", 0),
            E("productCodes", null),
            E("instanceType", i.InstanceType),
            E("launchTime", Time(i.LaunchTime)),
            E("placement", new object[] { E("availabilityZone", Zone(i)), E("groupName", ""), E("tenancy", "default") }),
            Opt("platform", i.Platform),
            E("monitoring", E("state", "disabled")),
            Opt("subnetId", i.SubnetId),
            Opt("vpcId", i.VpcId),
            E("privateIpAddress", i.PrivateIpAddress),
            state is "running" or "pending" or "stopping" ? Opt("ipAddress", i.PublicIpAddress) : null,
            E("sourceDestCheck", "true"),
            E("groupSet", i.SecurityGroupIds.Select(id => Ec2Xml.Item(E("groupId", id), E("groupName", groups.GetValueOrDefault(id)?.GroupName ?? "")))),
            state is "stopped" or "stopping" ? E("stateReason", new object[] { E("code", "Client.UserInitiatedShutdown"), E("message", "Client.UserInitiatedShutdown: User initiated shutdown") }) : null,
            E("architecture", i.Architecture),
            E("rootDeviceType", i.RootDeviceType),
            E("rootDeviceName", i.RootDeviceName),
            E("blockDeviceMapping", i.BlockDevices.Where(b => b.VolumeId is not null).Select(b => Ec2Xml.Item(
                E("deviceName", b.DeviceName),
                E("ebs", new object[]
                {
                    E("volumeId", b.VolumeId),
                    E("status", state == "terminated" ? "detached" : "attached"),
                    E("attachTime", Time(i.LaunchTime)),
                    E("deleteOnTermination", Bool(b.DeleteOnTermination)),
                })))),
            E("virtualizationType", i.VirtualizationType),
            E("clientToken", i.ClientToken ?? ""),
            TagSet(i.Tags),
            E("hypervisor", "xen"),
            E("ebsOptimized", "false"),
            E("enaSupport", Bool(i.EnaSupport)),
            Opt("bootMode", i.BootMode),
            i.IamInstanceProfileArn is { } profile ? E("iamInstanceProfile", new object[] { E("arn", profile), E("id", "AIPA" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(profile)))[..17]) }) : null,
            E("platformDetails", i.Platform == "windows" ? "Windows" : "Linux/UNIX"),
            E("metadataOptions", new object[] { E("state", "applied"), E("httpTokens", "required"), E("httpPutResponseHopLimit", 2), E("httpEndpoint", "enabled") }));
    }
}
