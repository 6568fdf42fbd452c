using System.Xml.Linq;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;
using static ImagePipeline.LocalCloud.Ec2.Ec2Xml;

namespace ImagePipeline.LocalCloud.Ec2.Network;

/// <summary>DescribeVpcs and DescribeSubnets: the caller's default VPC and its subnets.</summary>
internal static class NetworkOperations
{
    public static AwsServiceException VpcNotFound(string id) => Ec2Errors.Error("InvalidVpcID.NotFound", $"The vpc ID '{id}' does not exist");

    public static XElement DescribeVpcs(Ec2Call call)
    {
        var ids = call.Query.List("VpcId");
        var mine = call.Region.Vpcs.Values.Where(v => v.OwnerAccountId == call.Caller.AccountId).ToList();
        foreach (var id in ids.Where(id => mine.All(v => v.VpcId != id)))
        {
            throw VpcNotFound(id);
        }

        var filters = call.Query.Filters();
        var matching = mine.Where(v => ids.Count == 0 || ids.Contains(v.VpcId)).Where(v => Ec2Filters.Matches(filters, f => f switch
        {
            "vpc-id" => [v.VpcId],
            "is-default" => [Bool(v.IsDefault)],
            "cidr" or "cidr-block-association.cidr-block" => [v.CidrBlock],
            "owner-id" => [v.OwnerAccountId],
            "state" => ["available"],
            _ => null,
        }, v.Tags)).ToList();
        var (page, next) = Ec2Paging.Apply(call, matching, 5, 1000, "VpcId");
        return call.Response(new XElement(Ns + "vpcSet", page.Select(v => Item(
            E("vpcId", v.VpcId),
            E("ownerId", v.OwnerAccountId),
            E("state", "available"),
            E("cidrBlock", v.CidrBlock),
            E("cidrBlockAssociationSet", Item(E("cidrBlock", v.CidrBlock), E("associationId", "vpc-cidr-assoc-" + v.VpcId[4..]), E("cidrBlockState", E("state", "associated")))),
            E("dhcpOptionsId", "dopt-" + v.VpcId[4..]),
            TagSet(v.Tags),
            E("instanceTenancy", "default"),
            E("isDefault", Bool(v.IsDefault))))), next);
    }

    public static XElement DescribeSubnets(Ec2Call call)
    {
        var ids = call.Query.List("SubnetId");
        var mine = call.Region.Subnets.Values.Where(s => s.OwnerAccountId == call.Caller.AccountId).ToList();
        foreach (var id in ids.Where(id => mine.All(s => s.SubnetId != id)))
        {
            throw Ec2Errors.Error("InvalidSubnetID.NotFound", $"The subnet ID '{id}' does not exist");
        }

        var filters = call.Query.Filters();
        var matching = mine.Where(s => ids.Count == 0 || ids.Contains(s.SubnetId)).Where(s => Ec2Filters.Matches(filters, f => f switch
        {
            "subnet-id" => [s.SubnetId],
            "vpc-id" => [s.VpcId],
            "availability-zone" => [s.AvailabilityZone],
            "default-for-az" or "defaultForAz" => [Bool(s.DefaultForAz)],
            "map-public-ip-on-launch" => [Bool(s.MapPublicIpOnLaunch)],
            "cidr-block" => [s.CidrBlock],
            "owner-id" => [s.OwnerAccountId],
            "state" => ["available"],
            _ => null,
        }, s.Tags)).OrderBy(s => s.AvailabilityZone, StringComparer.Ordinal).ToList();
        var (page, next) = Ec2Paging.Apply(call, matching, 5, 1000, "SubnetId");
        return call.Response(new XElement(Ns + "subnetSet", page.Select(s => Item(
            E("subnetId", s.SubnetId),
            E("subnetArn", $"arn:aws:ec2:{call.Caller.Region}:{s.OwnerAccountId}:subnet/{s.SubnetId}"),
            E("state", "available"),
            E("ownerId", s.OwnerAccountId),
            E("vpcId", s.VpcId),
            E("cidrBlock", s.CidrBlock),
            E("availableIpAddressCount", 4091 - s.AddressesUsed),
            E("availabilityZone", s.AvailabilityZone),
            E("availabilityZoneId", RegionOperations.ZoneId(call.Caller.Region, s.AvailabilityZone[^1..])),
            E("defaultForAz", Bool(s.DefaultForAz)),
            E("mapPublicIpOnLaunch", Bool(s.MapPublicIpOnLaunch)),
            E("assignIpv6AddressOnCreation", "false"),
            TagSet(s.Tags)))), next);
    }
}
