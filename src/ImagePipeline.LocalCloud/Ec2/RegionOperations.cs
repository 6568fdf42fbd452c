using System.Xml.Linq;
using static ImagePipeline.LocalCloud.Ec2.Ec2Xml;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>DescribeRegions and DescribeAvailabilityZones.</summary>
internal static class RegionOperations
{
    public static XElement DescribeRegions(Ec2Call call)
    {
        var names = call.Query.List("RegionName");
        var unknown = names.FirstOrDefault(n => !LocalCloudSeedIds.Regions.Contains(n));
        if (unknown is not null)
        {
            throw Ec2Errors.Error("InvalidParameterValue", $"Invalid region: {unknown}");
        }

        var regions = names.Count > 0 ? names : [.. LocalCloudSeedIds.Regions];
        var filters = call.Query.Filters();
        return call.Response(new XElement(
            Ns + "regionInfo",
            regions
                .Where(r => Ec2Filters.Matches(filters, f => f switch { "region-name" => [r], "endpoint" => [$"ec2.{r}.amazonaws.com"], "opt-in-status" => ["opt-in-not-required"], _ => null }, []))
                .Select(r => Item(E("regionName", r), E("regionEndpoint", $"ec2.{r}.amazonaws.com"), E("optInStatus", "opt-in-not-required")))));
    }

    /// <summary>A zone id in AWS's shape (use1-az1); the same zone always gets the same id here.</summary>
    public static string ZoneId(string region, string suffix)
    {
        var parts = region.Split('-');
        return $"{parts[0]}{parts[1][0]}{parts[2]}-az{suffix[0] - 'a' + 1}";
    }

    public static XElement DescribeAvailabilityZones(Ec2Call call)
    {
        var region = call.Caller.Region;
        return call.Response(new XElement(
            Ns + "availabilityZoneInfo",
            DefaultNetwork.ZoneSuffixes.Select(suffix => Item(
                E("zoneName", region + suffix),
                E("zoneState", "available"),
                E("regionName", region),
                E("zoneId", ZoneId(region, suffix)),
                E("zoneType", "availability-zone"),
                E("optInStatus", "opt-in-not-required")))));
    }
}
