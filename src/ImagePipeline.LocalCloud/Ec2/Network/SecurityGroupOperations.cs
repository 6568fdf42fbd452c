using System.Globalization;
using System.Net;
using System.Xml.Linq;
using ImagePipeline.LocalCloud.Storage;
using static ImagePipeline.LocalCloud.Ec2.Ec2Xml;

namespace ImagePipeline.LocalCloud.Ec2.Network;

/// <summary>CreateSecurityGroup, AuthorizeSecurityGroupIngress, DescribeSecurityGroups, DeleteSecurityGroup (VPC groups).</summary>
internal static class SecurityGroupOperations
{
    public static XElement Create(Ec2Call call)
    {
        var name = call.Query.Require("GroupName");
        var description = call.Query.Require("GroupDescription");
        var account = call.Caller.AccountId;
        var tags = call.Query.TagSpecifications("security-group").GetValueOrDefault("security-group") ?? [];
        if (name.Length > 255 || description.Length > 255)
        {
            throw Ec2Errors.InvalidParameterValue("Group name and description may be at most 255 characters long.");
        }

        if (name.StartsWith("sg-", StringComparison.OrdinalIgnoreCase))
        {
            throw Ec2Errors.InvalidParameterValue($"Value ({name}) for parameter GroupName is invalid. Group names may not be in the format sg-*.");
        }

        if (name == "default")
        {
            throw Ec2Errors.InvalidParameterValue("Cannot use reserved security group name: default");
        }

        var vpcId = call.Query.Get("VpcId");
        var vpc = vpcId is null
            ? DefaultNetwork.DefaultVpc(call.Region, account) ?? throw Ec2Errors.Error("VPCIdNotSpecified", "No default VPC for this user")
            : call.Region.Vpcs.TryGetValue(vpcId, out var found) && found.OwnerAccountId == account
                ? found
                : throw NetworkOperations.VpcNotFound(vpcId);
        if (call.Region.SecurityGroups.Values.Any(g => g.OwnerAccountId == account && g.VpcId == vpc.VpcId && g.GroupName == name))
        {
            throw Ec2Errors.Error("InvalidGroup.Duplicate", $"The security group '{name}' already exists for VPC '{vpc.VpcId}'");
        }

        var group = new SecurityGroupRecord
        {
            GroupId = ResourceIds.New("sg"),
            GroupName = name,
            Description = description,
            VpcId = vpc.VpcId,
            OwnerAccountId = account,
            Egress = [new SecurityGroupRuleRecord("-1", null, null, "0.0.0.0/0", null, null)],
            Tags = tags,
        };
        call.Region.SecurityGroups[group.GroupId] = group;
        return call.Response(E("return", "true"), E("groupId", group.GroupId), TagSet(group.Tags), E("securityGroupArn", Arn(call, group)));
    }

    public static XElement AuthorizeIngress(Ec2Call call)
    {
        var group = Find(call, call.Query.Get("GroupId"), call.Query.Get("GroupName"));
        var rules = RequestedRules(call);
        if (rules.Count == 0)
        {
            throw Ec2Errors.MissingParameter("IpPermissions");
        }

        foreach (var rule in rules)
        {
            if (group.Ingress.Contains(rule) || rules.Count(r => r == rule) > 1)
            {
                throw Ec2Errors.Error("InvalidPermission.Duplicate", $"the specified rule \"peer: {rule.CidrIp ?? rule.SourceGroupId}, {Protocol(rule.IpProtocol)}, from port: {rule.FromPort}, to port: {rule.ToPort}, ALLOW\" already exists");
            }
        }

        group.Ingress.AddRange(rules);
        return call.Response(
            E("return", "true"),
            new XElement(Ns + "securityGroupRuleSet", rules.Select(r => Item(
                E("securityGroupRuleId", ResourceIds.New("sgr")),
                E("groupId", group.GroupId),
                E("groupOwnerId", group.OwnerAccountId),
                E("isEgress", "false"),
                E("ipProtocol", r.IpProtocol),
                E("fromPort", r.FromPort ?? -1),
                E("toPort", r.ToPort ?? -1),
                Opt("cidrIpv4", r.CidrIp),
                r.SourceGroupId is { } source ? E("referencedGroupInfo", new object[] { E("groupId", source), E("userId", group.OwnerAccountId) }) : null,
                Opt("description", r.Description)))));
    }

    public static XElement Describe(Ec2Call call)
    {
        var ids = call.Query.List("GroupId");
        var names = call.Query.List("GroupName");
        var filters = call.Query.Filters();
        var account = call.Caller.AccountId;
        var groups = new List<SecurityGroupRecord>();
        groups.AddRange(ids.Select(id => Find(call, id, null)));
        groups.AddRange(names.Select(name => Find(call, null, name)));
        if (ids.Count == 0 && names.Count == 0)
        {
            groups.AddRange(call.Region.SecurityGroups.Values.Where(g => g.OwnerAccountId == account));
        }

        var matching = groups.Distinct().Where(g => Ec2Filters.Matches(filters, f => f switch
        {
            "group-id" => [g.GroupId],
            "group-name" => [g.GroupName],
            "description" => [g.Description],
            "vpc-id" => [g.VpcId],
            "owner-id" => [g.OwnerAccountId],
            "ip-permission.cidr" => g.Ingress.Select(r => r.CidrIp),
            "ip-permission.from-port" => g.Ingress.Select(r => r.FromPort?.ToString(CultureInfo.InvariantCulture)),
            "ip-permission.to-port" => g.Ingress.Select(r => r.ToPort?.ToString(CultureInfo.InvariantCulture)),
            "ip-permission.protocol" => g.Ingress.Select(r => r.IpProtocol),
            "ip-permission.group-id" => g.Ingress.Select(r => r.SourceGroupId),
            _ => null,
        }, g.Tags)).ToList();
        var (page, next) = Ec2Paging.Apply(call, matching, 5, 1000, "GroupId");
        return call.Response(new XElement(Ns + "securityGroupInfo", page.Select(g => Item(
            E("ownerId", g.OwnerAccountId),
            E("groupId", g.GroupId),
            E("groupName", g.GroupName),
            E("groupDescription", g.Description),
            E("vpcId", g.VpcId),
            Permissions("ipPermissions", g.Ingress, g.OwnerAccountId),
            Permissions("ipPermissionsEgress", g.Egress, g.OwnerAccountId),
            TagSet(g.Tags),
            E("securityGroupArn", Arn(call, g))))), next);
    }

    /// <summary>Refused while a non-terminated instance or another group's rule uses it, as EC2 refuses it.</summary>
    public static XElement Delete(Ec2Call call)
    {
        var group = Find(call, call.Query.Get("GroupId"), call.Query.Get("GroupName"));
        if (group.GroupName == "default")
        {
            throw Ec2Errors.Error("CannotDelete", $"the specified group: \"{group.GroupId}\" name: \"default\" cannot be deleted by a user");
        }

        var inUse = call.Region.Instances.Values.Any(i => i.SecurityGroupIds.Contains(group.GroupId) && i.Timeline.StateAt(call.Now) != "terminated")
            || call.Region.SecurityGroups.Values.Any(g => g != group && g.Ingress.Concat(g.Egress).Any(r => r.SourceGroupId == group.GroupId));
        if (inUse)
        {
            throw Ec2Errors.Error("DependencyViolation", $"resource {group.GroupId} has a dependent object");
        }

        call.Region.SecurityGroups.Remove(group.GroupId);
        return call.Response(E("return", "true"), E("groupId", group.GroupId));
    }

    /// <summary>A group by id, or by name in the default VPC (as EC2 looks names up).</summary>
    private static SecurityGroupRecord Find(Ec2Call call, string? id, string? name)
    {
        var account = call.Caller.AccountId;
        if (id is not null)
        {
            if (!Ec2Ids.IsWellFormed(id, "sg"))
            {
                throw Ec2Errors.Error("InvalidGroupId.Malformed", $"Invalid id: \"{id}\" (expecting \"sg-...\")");
            }

            return call.Region.SecurityGroups.TryGetValue(id, out var group) && group.OwnerAccountId == account
                ? group
                : throw Ec2Errors.Error("InvalidGroup.NotFound", $"The security group '{id}' does not exist");
        }

        if (name is null)
        {
            throw Ec2Errors.MissingParameter("GroupId");
        }

        var vpc = DefaultNetwork.DefaultVpc(call.Region, account);
        return call.Region.SecurityGroups.Values.FirstOrDefault(g => g.OwnerAccountId == account && g.VpcId == vpc?.VpcId && g.GroupName == name)
            ?? throw Ec2Errors.Error("InvalidGroup.NotFound", $"The security group '{name}' does not exist in default VPC '{vpc?.VpcId}'");
    }

    /// <summary>IpPermissions.N (protocol, ports, IpRanges.M.CidrIp, UserIdGroupPairs.M.GroupId), one rule per peer.</summary>
    private static List<SecurityGroupRuleRecord> RequestedRules(Ec2Call call)
    {
        var rules = new List<SecurityGroupRuleRecord>();
        foreach (var n in call.Query.Indexes("IpPermissions"))
        {
            var p = $"IpPermissions.{n}";
            var protocol = NormalizeProtocol(call.Query.Get($"{p}.IpProtocol") ?? throw Ec2Errors.MissingParameter($"{p}.IpProtocol"));
            var (from, to) = Ports(protocol, call.Query.Int($"{p}.FromPort"), call.Query.Int($"{p}.ToPort"));
            var peers = 0;
            foreach (var m in call.Query.Indexes($"{p}.IpRanges"))
            {
                var cidr = call.Query.Get($"{p}.IpRanges.{m}.CidrIp") ?? throw Ec2Errors.MissingParameter($"{p}.IpRanges.{m}.CidrIp");
                CheckCidr(cidr);
                rules.Add(new SecurityGroupRuleRecord(protocol, from, to, cidr, null, call.Query.Get($"{p}.IpRanges.{m}.Description")));
                peers++;
            }

            foreach (var m in call.Query.Indexes($"{p}.Groups"))
            {
                var source = call.Query.Get($"{p}.Groups.{m}.GroupId") ?? throw Ec2Errors.MissingParameter($"{p}.Groups.{m}.GroupId");
                Find(call, source, null);
                rules.Add(new SecurityGroupRuleRecord(protocol, from, to, null, source, call.Query.Get($"{p}.Groups.{m}.Description")));
                peers++;
            }

            if (peers == 0)
            {
                throw Ec2Errors.InvalidParameterValue("The request must specify an IP range or a source security group for each permission.");
            }
        }

        // The older flat form: IpProtocol, FromPort, ToPort, CidrIp.
        if (call.Query.Get("IpProtocol") is { } flatProtocol)
        {
            var protocol = NormalizeProtocol(flatProtocol);
            var (from, to) = Ports(protocol, call.Query.Int("FromPort"), call.Query.Int("ToPort"));
            var cidr = call.Query.Get("CidrIp") ?? throw Ec2Errors.MissingParameter("CidrIp");
            CheckCidr(cidr);
            rules.Add(new SecurityGroupRuleRecord(protocol, from, to, cidr, null, null));
        }

        return rules;
    }

    private static string NormalizeProtocol(string protocol) => protocol.ToLowerInvariant() switch
    {
        "tcp" or "6" => "tcp",
        "udp" or "17" => "udp",
        "icmp" or "1" => "icmp",
        "-1" or "all" => "-1",
        var p when int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 255 => p,
        _ => throw Ec2Errors.InvalidParameterValue($"Invalid value '{protocol}' for IP protocol. Unknown protocol."),
    };

    private static (int? From, int? To) Ports(string protocol, int? from, int? to)
    {
        if (protocol is not ("tcp" or "udp"))
        {
            // All traffic and other protocols have no port range; ICMP's are type and code.
            return protocol == "icmp" ? (from ?? -1, to ?? -1) : (null, null);
        }

        if (from is null || to is null)
        {
            throw Ec2Errors.InvalidParameterValue($"Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.");
        }

        if (from < 0 || to > 65535 || from > to)
        {
            throw Ec2Errors.InvalidParameterValue($"Invalid value '{from}-{to}' for portRange. The port range must be from 0 to 65535 with the from port not above the to port.");
        }

        return (from, to);
    }

    /// <summary>An IPv4 CIDR whose address has no bits set beyond the prefix is what EC2 takes; anything else is refused.</summary>
    private static void CheckCidr(string cidr)
    {
        var parts = cidr.Split('/');
        var valid = parts.Length == 2
            && parts[0].Split('.') is { Length: 4 } octets
            && octets.All(o => o.Length is > 0 and <= 3 && o.All(char.IsAsciiDigit) && int.Parse(o, CultureInfo.InvariantCulture) <= 255)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) && prefix <= 32
            && IPNetwork.TryParse(cidr, out _);
        if (!valid)
        {
            throw Ec2Errors.InvalidParameterValue($"Value ({cidr}) for parameter cidrIp is invalid. This is not a valid CIDR block.");
        }
    }

    private static string Protocol(string protocol) => protocol == "-1" ? "ALL" : protocol.ToUpperInvariant();

    private static XElement Permissions(string element, IEnumerable<SecurityGroupRuleRecord> rules, string owner) =>
        E(element, rules.GroupBy(r => (r.IpProtocol, r.FromPort, r.ToPort)).Select(g => Item(
            E("ipProtocol", g.Key.IpProtocol),
            g.Key.FromPort is { } from ? E("fromPort", from) : null,
            g.Key.ToPort is { } to ? E("toPort", to) : null,
            E("groups", g.Where(r => r.SourceGroupId is not null).Select(r => Item(E("userId", owner), E("groupId", r.SourceGroupId), Opt("description", r.Description)))),
            E("ipRanges", g.Where(r => r.CidrIp is not null).Select(r => Item(E("cidrIp", r.CidrIp), Opt("description", r.Description)))),
            E("ipv6Ranges", null),
            E("prefixListIds", null))));

    private static string Arn(Ec2Call call, SecurityGroupRecord group) =>
        $"arn:aws:ec2:{call.Caller.Region}:{group.OwnerAccountId}:security-group/{group.GroupId}";
}
