using System.Globalization;
using ImagePipeline.LocalCloud.Storage;
using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>The flattened Query-protocol parameters of one EC2 call (InstanceId.1, Filter.1.Value.2, …).</summary>
internal sealed class QueryParameters(IFormCollection form)
{
    public string Action => form["Action"].ToString();

    /// <summary>A digest of every parameter but the ClientToken, to tell a true retry from a reused token.</summary>
    public string Digest()
    {
        var text = string.Join('&', form.Keys.Where(k => k != "ClientToken").Order(StringComparer.Ordinal).Select(k => k + "=" + form[k]));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    public string? Get(string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;

    public string Require(string name) =>
        Get(name) is { Length: > 0 } value ? value : throw Ec2Errors.MissingParameter(name);

    public bool Bool(string name, bool fallback = false) => Get(name) switch
    {
        null => fallback,
        var v when bool.TryParse(v, out var b) => b,
        var v => throw Ec2Errors.InvalidParameterValue($"Value ({v}) for parameter {name} is invalid. Expected: 'true' or 'false'."),
    };

    public bool? OptionalBool(string name) => Get(name) is null ? null : Bool(name);

    public int? Int(string name) => Get(name) switch
    {
        null => null,
        var v when int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
        var v => throw Ec2Errors.InvalidParameterValue($"Value ({v}) for parameter {name} is invalid. Expected an integer."),
    };

    /// <summary>prefix.1, prefix.2, … in order.</summary>
    public List<string> List(string prefix)
    {
        var values = new List<string>();
        for (var i = 1; Get($"{prefix}.{i}") is { } value; i++)
        {
            values.Add(value);
        }

        return values;
    }

    /// <summary>The indexes n for which some key starts with prefix.n.</summary>
    public List<int> Indexes(string prefix)
    {
        var indexes = new SortedSet<int>();
        foreach (var key in form.Keys)
        {
            if (key.StartsWith(prefix + ".", StringComparison.Ordinal))
            {
                var rest = key[(prefix.Length + 1)..];
                var end = rest.IndexOf('.', StringComparison.Ordinal);
                if (int.TryParse(end >= 0 ? rest[..end] : rest, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    indexes.Add(index);
                }
            }
        }

        return [.. indexes];
    }

    public List<Ec2Filter> Filters()
    {
        return [.. Indexes("Filter").Select(i => new Ec2Filter(Require($"Filter.{i}.Name"), List($"Filter.{i}.Value")))];
    }

    /// <summary>TagSpecification.N.ResourceType / .Tag.M.Key / .Value, checked against the types the call accepts.</summary>
    public Dictionary<string, List<Tag>> TagSpecifications(params string[] allowedTypes)
    {
        var result = new Dictionary<string, List<Tag>>(StringComparer.Ordinal);
        foreach (var i in Indexes("TagSpecification"))
        {
            var type = Require($"TagSpecification.{i}.ResourceType");
            if (!allowedTypes.Contains(type))
            {
                throw Ec2Errors.InvalidParameterValue($"'{type}' is not a valid taggable resource type for this operation.");
            }

            var tags = Tags($"TagSpecification.{i}.Tag");
            if (result.ContainsKey(type))
            {
                throw Ec2Errors.InvalidParameterValue($"The same resource type may not be specified more than once in tag specifications");
            }

            result[type] = tags;
        }

        return result;
    }

    /// <summary>prefix.N.Key / prefix.N.Value, validated like EC2 validates tags (a key given twice is refused, not last-wins).</summary>
    public List<Tag> Tags(string prefix)
    {
        var tags = new List<Tag>();
        foreach (var i in Indexes(prefix))
        {
            var key = Get($"{prefix}.{i}.Key") ?? throw Ec2Errors.MissingParameter($"{prefix}.{i}.Key");
            var value = Get($"{prefix}.{i}.Value") ?? "";
            TagRules.Check(key, value);
            if (tags.Any(t => t.Key == key))
            {
                throw Ec2Errors.InvalidParameterValue($"Duplicate tag key '{key}' specified.");
            }

            tags.Add(new Tag(key, value));
        }

        TagRules.CheckCount(tags.Count);
        return tags;
    }

    /// <summary>BlockDeviceMapping.N.* as requested (no defaults applied).</summary>
    public List<RequestedBlockDevice> BlockDeviceMappings()
    {
        var result = new List<RequestedBlockDevice>();
        foreach (var i in Indexes("BlockDeviceMapping"))
        {
            var p = $"BlockDeviceMapping.{i}";
            result.Add(new RequestedBlockDevice(
                Require($"{p}.DeviceName"),
                Get($"{p}.NoDevice") is not null,
                Get($"{p}.VirtualName"),
                Get($"{p}.Ebs.SnapshotId"),
                Int($"{p}.Ebs.VolumeSize"),
                Get($"{p}.Ebs.VolumeType"),
                OptionalBool($"{p}.Ebs.DeleteOnTermination"),
                OptionalBool($"{p}.Ebs.Encrypted"),
                Get($"{p}.Ebs.KmsKeyId"),
                Indexes($"{p}.Ebs").Count > 0 || form.Keys.Any(k => k.StartsWith(p + ".Ebs.", StringComparison.Ordinal))));
        }

        return result;
    }
}

/// <summary>One EC2 filter: a name and the values any of which may match (with * and ? wildcards).</summary>
internal sealed record Ec2Filter(string Name, List<string> Values);

/// <summary>A block device mapping as a caller asked for it.</summary>
internal sealed record RequestedBlockDevice(
    string DeviceName, bool NoDevice, string? VirtualName, string? SnapshotId, int? VolumeSize, string? VolumeType,
    bool? DeleteOnTermination, bool? Encrypted, string? KmsKeyId, bool HasEbs);
