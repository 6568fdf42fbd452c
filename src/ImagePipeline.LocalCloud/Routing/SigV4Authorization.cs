using System.Text.RegularExpressions;

namespace ImagePipeline.LocalCloud.Routing;

/// <summary>The parts of a SigV4 <c>Authorization</c> header (or presigned query) the router needs.</summary>
internal sealed partial record SigV4Authorization(
    string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature)
{
    [GeneratedRegex(@"^AWS4-HMAC-SHA256\s+Credential=(?<ak>[^/\s,]+)/(?<date>\d{8})/(?<region>[^/\s,]+)/(?<svc>[^/\s,]+)/aws4_request\s*,\s*SignedHeaders=(?<sh>[^,\s]+)\s*,\s*Signature=(?<sig>[0-9a-f]{64})\s*$")]
    private static partial Regex HeaderPattern();

    /// <summary>Parses a presigned URL's X-Amz-* query parameters; null when absent or malformed.</summary>
    public static SigV4Authorization? TryParseQuery(Microsoft.AspNetCore.Http.IQueryCollection query)
    {
        if (query["X-Amz-Algorithm"] != "AWS4-HMAC-SHA256")
        {
            return null;
        }

        var scope = query["X-Amz-Credential"].ToString().Split('/');
        var signature = query["X-Amz-Signature"].ToString();
        if (scope.Length != 5 || scope[4] != "aws4_request" || signature.Length != 64)
        {
            return null;
        }

        return new SigV4Authorization(scope[0], scope[1], scope[2], scope[3], query["X-Amz-SignedHeaders"].ToString().Split(';'), signature)
        {
            Presigned = true,
        };
    }

    /// <summary>True when the request was signed in its query string (a presigned URL).</summary>
    public bool Presigned { get; init; }

    /// <summary>Parses the header; null when it is not a well-formed SigV4 header.</summary>
    public static SigV4Authorization? TryParse(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        var match = HeaderPattern().Match(header);
        if (!match.Success)
        {
            return null;
        }

        return new SigV4Authorization(
            match.Groups["ak"].Value,
            match.Groups["date"].Value,
            match.Groups["region"].Value,
            match.Groups["svc"].Value,
            match.Groups["sh"].Value.Split(';'),
            match.Groups["sig"].Value);
    }
}
