using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>
/// Every account's default VPC in a region, as AWS sets one up: 172.31.0.0/16, one default subnet per zone that maps
/// public IPs on launch, and the VPC's <c>default</c> security group. The ids are fixed per account so docs and tests
/// can name them.
/// </summary>
internal static class DefaultNetwork
{
    public static readonly IReadOnlyList<string> ZoneSuffixes = ["a", "b", "c"];

    public static string VpcId(string account) => $"vpc-000000000000d000{AccountDigit(account)}";

    public static string SubnetId(string account, string zone) => $"subnet-000000000000d00{AccountDigit(account)}{zone[^1]}";

    public static string SecurityGroupId(string account) => $"sg-000000000000d000{AccountDigit(account)}";

    /// <summary>Adds what is missing (a region seeded by an older version has none of it). Call under the state gate.</summary>
    public static void Ensure(RegionState region, string regionName)
    {
        foreach (var account in new[] { LocalCloudAccounts.AccountId, LocalCloudAccounts.OtherAccountId })
        {
            var vpcId = VpcId(account);
            if (region.Vpcs.ContainsKey(vpcId))
            {
                continue;
            }

            region.Vpcs[vpcId] = new VpcRecord { VpcId = vpcId, OwnerAccountId = account, CidrBlock = "172.31.0.0/16", IsDefault = true };
            for (var i = 0; i < ZoneSuffixes.Count; i++)
            {
                var zone = regionName + ZoneSuffixes[i];
                var subnetId = SubnetId(account, zone);
                region.Subnets[subnetId] = new SubnetRecord
                {
                    SubnetId = subnetId,
                    VpcId = vpcId,
                    OwnerAccountId = account,
                    AvailabilityZone = zone,
                    CidrBlock = $"172.31.{i * 16}.0/20",
                    DefaultForAz = true,
                    MapPublicIpOnLaunch = true,
                };
            }

            var groupId = SecurityGroupId(account);
            region.SecurityGroups[groupId] = new SecurityGroupRecord
            {
                GroupId = groupId,
                GroupName = "default",
                Description = "default VPC security group",
                VpcId = vpcId,
                OwnerAccountId = account,
                Ingress = [new SecurityGroupRuleRecord("-1", null, null, null, groupId, null)],
                Egress = [new SecurityGroupRuleRecord("-1", null, null, "0.0.0.0/0", null, null)],
            };
        }
    }

    /// <summary>The account's default VPC in the region, or null when it has none.</summary>
    public static VpcRecord? DefaultVpc(RegionState region, string account) =>
        region.Vpcs.Values.FirstOrDefault(v => v.OwnerAccountId == account && v.IsDefault);

    /// <summary>The default subnet EC2 picks when a launch names none: the first zone's.</summary>
    public static SubnetRecord? DefaultSubnet(RegionState region, string account) =>
        region.Subnets.Values.Where(s => s.OwnerAccountId == account && s.DefaultForAz).OrderBy(s => s.AvailabilityZone, StringComparer.Ordinal).FirstOrDefault();

    /// <summary>The next free private address of a subnet (a /20 from 172.31.x.0, the first ten kept back as AWS keeps some).</summary>
    public static string NextPrivateAddress(SubnetRecord subnet)
    {
        var n = subnet.AddressesUsed++;
        var parts = subnet.CidrBlock.Split('/')[0].Split('.');
        var third = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) + (n / 240);
        return $"{parts[0]}.{parts[1]}.{third}.{10 + (n % 240)}";
    }

    private static int AccountDigit(string account) => account == LocalCloudAccounts.AccountId ? 1 : 2;
}
