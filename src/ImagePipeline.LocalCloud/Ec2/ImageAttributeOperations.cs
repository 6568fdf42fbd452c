using System.Globalization;
using System.Xml.Linq;
using static ImagePipeline.LocalCloud.Ec2.Ec2Xml;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>ModifyImageAttribute / DescribeImageAttribute (launch permissions, description) and image deprecation.</summary>
internal sealed class ImageAttributeOperations
{
    public XElement Modify(Ec2Call call)
    {
        var image = ImageOperations.FindOwned(call, call.Query.Require("ImageId"));
        var adds = new List<(string? User, string? Group, string? Org, string? OrgUnit)>();
        var removes = new List<(string? User, string? Group, string? Org, string? OrgUnit)>();
        foreach (var (prefix, list) in new[] { ("LaunchPermission.Add", adds), ("LaunchPermission.Remove", removes) })
        {
            foreach (var i in call.Query.Indexes(prefix))
            {
                list.Add((call.Query.Get($"{prefix}.{i}.UserId"), call.Query.Get($"{prefix}.{i}.Group"), call.Query.Get($"{prefix}.{i}.OrganizationArn"), call.Query.Get($"{prefix}.{i}.OrganizationalUnitArn")));
            }
        }

        // The older flat form: Attribute=launchPermission, OperationType=add|remove, UserId.N, UserGroup.N.
        var operationType = call.Query.Get("OperationType");
        var flatUsers = call.Query.List("UserId");
        var flatGroups = call.Query.List("UserGroup");
        if (flatUsers.Count > 0 || flatGroups.Count > 0)
        {
            var target = operationType switch
            {
                "add" => adds,
                "remove" => removes,
                null => throw Ec2Errors.MissingParameter("OperationType"),
                _ => throw Ec2Errors.InvalidParameterValue($"Value ({operationType}) for parameter operationType is invalid. Valid values: add, remove"),
            };
            target.AddRange(flatUsers.Select(u => ((string?)u, (string?)null, (string?)null, (string?)null)));
            target.AddRange(flatGroups.Select(g => ((string?)null, (string?)g, (string?)null, (string?)null)));
        }

        var description = call.Query.Get("Description.Value");
        if (adds.Count == 0 && removes.Count == 0 && description is null)
        {
            var attribute = call.Query.Get("Attribute");
            throw attribute is null
                ? Ec2Errors.MissingParameter("LaunchPermission")
                : Ec2Errors.InvalidParameterCombination($"No modifications given for attribute {attribute}.");
        }

        foreach (var (user, group, org, orgUnit) in adds.Concat(removes))
        {
            if (user is not null && !(user.Length == 12 && user.All(char.IsAsciiDigit)))
            {
                throw Ec2Errors.Error("InvalidAMIAttributeItemValue", $"Invalid attribute item value \"{user}\" for userId item type.");
            }

            if (group is not null && group != "all")
            {
                throw Ec2Errors.Error("InvalidAMIAttributeItemValue", $"Invalid attribute item value \"{group}\" for group item type.");
            }

            if (org is not null && !org.StartsWith("arn:aws:organizations::", StringComparison.Ordinal))
            {
                throw Ec2Errors.InvalidParameterValue($"Invalid organization ARN: {org}");
            }

            if (orgUnit is not null && !orgUnit.StartsWith("arn:aws:organizations::", StringComparison.Ordinal))
            {
                throw Ec2Errors.InvalidParameterValue($"Invalid organizational unit ARN: {orgUnit}");
            }
        }

        foreach (var (user, group, org, orgUnit) in adds)
        {
            AddOnce(image.LaunchPermissionUserIds, user);
            AddOnce(image.LaunchPermissionOrganizationArns, org);
            AddOnce(image.LaunchPermissionOrganizationalUnitArns, orgUnit);
            image.IsPublic |= group == "all";
        }

        foreach (var (user, group, org, orgUnit) in removes)
        {
            image.LaunchPermissionUserIds.Remove(user ?? "");
            image.LaunchPermissionOrganizationArns.Remove(org ?? "");
            image.LaunchPermissionOrganizationalUnitArns.Remove(orgUnit ?? "");
            image.IsPublic &= group != "all";
        }

        if (description is not null)
        {
            image.Description = description;
        }

        return call.Return();
    }

    public XElement Describe(Ec2Call call)
    {
        var attribute = call.Query.Require("Attribute");
        var image = ImageOperations.FindOwned(call, call.Query.Require("ImageId"));
        XElement body = attribute switch
        {
            "launchPermission" => E("launchPermission", image.LaunchPermissionUserIds.Select(u => Item(E("userId", u)))
                .Concat(image.IsPublic ? [Item(E("group", "all"))] : [])
                .Concat(image.LaunchPermissionOrganizationArns.Select(o => Item(E("organizationArn", o))))
                .Concat(image.LaunchPermissionOrganizationalUnitArns.Select(o => Item(E("organizationalUnitArn", o))))),
            "description" => E("description", image.Description is null ? null : E("value", image.Description)),
            "kernel" => E("kernel", image.KernelId is null ? null : E("value", image.KernelId)),
            "ramdisk" => E("ramdisk", image.RamdiskId is null ? null : E("value", image.RamdiskId)),
            "blockDeviceMapping" => E("blockDeviceMapping", image.BlockDevices.Select(ImageXml.BlockDevice)),
            "productCodes" => E("productCodes", null),
            "sriovNetSupport" => E("sriovNetSupport", image.SriovNetSupport is null ? null : E("value", image.SriovNetSupport)),
            "bootMode" => E("bootMode", image.BootMode is null ? null : E("value", image.BootMode)),
            "imdsSupport" => E("imdsSupport", image.ImdsSupport is null ? null : E("value", image.ImdsSupport)),
            "lastLaunchedTime" => E("lastLaunchedTime", null),
            "deregistrationProtection" => E("deregistrationProtection", E("value", "disabled")),
            _ => throw Ec2Errors.InvalidParameterValue($"Value ({attribute}) for parameter attribute is invalid. Unknown attribute."),
        };
        return call.Response(E("imageId", image.ImageId), body);
    }

    public XElement EnableDeprecation(Ec2Call call)
    {
        var image = ImageOperations.FindOwned(call, call.Query.Require("ImageId"));
        var text = call.Query.Require("DeprecateAt");
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            throw Ec2Errors.InvalidParameterValue($"Invalid value for DeprecateAt: {text}");
        }

        if (at <= call.Now)
        {
            throw Ec2Errors.InvalidParameterValue("The deprecation time must be in the future.");
        }

        if (at > call.Now.AddYears(10))
        {
            throw Ec2Errors.InvalidParameterValue("The deprecation time cannot be more than 10 years in the future.");
        }

        // EC2 rounds the time to the nearest minute.
        var rounded = new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);
        image.DeprecationTime = at.Second >= 30 ? rounded.AddMinutes(1) : rounded;
        return call.Return();
    }

    private static void AddOnce(List<string> list, string? value)
    {
        if (value is not null && !list.Contains(value))
        {
            list.Add(value);
        }
    }
}
