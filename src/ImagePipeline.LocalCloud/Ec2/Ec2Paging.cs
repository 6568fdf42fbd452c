using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>
/// MaxResults/NextToken paging as the Describe calls do it: MaxResults within the call's range, not together with an
/// explicit id list, and an opaque token that only this cloud issued.
/// </summary>
internal static class Ec2Paging
{
    public static (List<T> Page, XElement? NextToken) Apply<T>(Ec2Call call, IReadOnlyList<T> items, int min, int max, string? idParameter)
    {
        var maxResults = call.Query.Int("MaxResults");
        var token = call.Query.Get("NextToken");
        if (maxResults is { } requested)
        {
            if (idParameter is not null && call.Query.Get(idParameter + ".1") is not null)
            {
                throw Ec2Errors.InvalidParameterCombination($"The parameter {idParameter} cannot be used with the parameter maxResults");
            }

            if (requested < min || requested > max)
            {
                throw Ec2Errors.InvalidParameterValue($"Value ( {requested} ) for parameter maxResults is invalid. Expecting a value between {min} and {max}.");
            }
        }

        var offset = 0;
        if (!string.IsNullOrEmpty(token))
        {
            offset = Decode(token);
        }

        var size = maxResults ?? int.MaxValue;
        var page = items.Skip(offset).Take(size).ToList();
        var next = offset + page.Count < items.Count ? Ec2Xml.E("nextToken", Encode(offset + page.Count)) : null;
        return (page, next);
    }

    private static string Encode(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("localcloud:" + offset.ToString(CultureInfo.InvariantCulture)));

    private static int Decode(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith("localcloud:", StringComparison.Ordinal)
                && int.TryParse(text["localcloud:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // Falls through to EC2's answer for a token it did not issue.
        }

        throw Ec2Errors.Error("InvalidPaginationToken", $"The token '{token}' is invalid.");
    }
}
