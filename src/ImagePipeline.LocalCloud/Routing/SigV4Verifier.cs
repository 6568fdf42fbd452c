using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ImagePipeline.LocalCloud.Routing;

/// <summary>
/// Recomputes the SigV4 signature of a request with the known secret of its access key, as AWS does, so a client
/// that signs wrongly (wrong secret, wrong region in the scope, a header changed after signing) fails here too.
/// </summary>
internal sealed partial class SigV4Verifier(bool enabled, TimeProvider? signingClock)
{
    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    public async Task<bool> VerifyAsync(HttpContext context, SigV4Authorization authorization, CancellationToken cancellationToken)
    {
        if (!enabled)
        {
            return true;
        }

        var secret = LocalCloudAccounts.SecretOf(authorization.AccessKeyId);
        if (secret is null)
        {
            return false;
        }

        var request = context.Request;
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        var queryStart = raw.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart >= 0 ? raw[..queryStart] : raw;
        var rawQuery = queryStart >= 0 ? raw[(queryStart + 1)..] : "";
        if (authorization.Service != "s3")
        {
            // Every service but S3 signs the path encoded twice.
            path = string.Join('/', path.Split('/').Select(s => Uri.EscapeDataString(Uri.UnescapeDataString(s))));
        }

        var payloadHash = authorization.Presigned
            ? "UNSIGNED-PAYLOAD"
            : request.Headers["x-amz-content-sha256"].ToString() is { Length: > 0 } declared ? declared : await HashBodyAsync(request, cancellationToken);
        var amzDate = authorization.Presigned ? request.Query["X-Amz-Date"].ToString() : request.Headers["x-amz-date"].ToString();
        if (amzDate.Length == 0)
        {
            amzDate = request.Headers.Date.ToString();
        }

        var canonicalHeaders = new StringBuilder();
        foreach (var name in authorization.SignedHeaders)
        {
            var value = name == "host" ? request.Host.Value ?? "" : string.Join(',', request.Headers[name].Select(v => Whitespace().Replace(v?.Trim() ?? "", " ")));
            canonicalHeaders.Append(name).Append(':').Append(value).Append('\n');
        }

        var canonicalRequest = string.Join(
            '\n',
            request.Method,
            path.Length == 0 ? "/" : path,
            CanonicalQuery(rawQuery, authorization.Presigned),
            canonicalHeaders.ToString(),
            string.Join(';', authorization.SignedHeaders),
            payloadHash);
        var scope = $"{authorization.Date}/{authorization.Region}/{authorization.Service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), authorization.Date);
        key = Hmac(key, authorization.Region);
        key = Hmac(key, authorization.Service);
        key = Hmac(key, "aws4_request");
        var expected = Convert.ToHexStringLower(Hmac(key, stringToSign));
        var valid = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(authorization.Signature));
        if (valid && payloadHash.StartsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", StringComparison.Ordinal))
        {
            new ChunkSigningContext(key, amzDate, scope, authorization.Signature).AttachTo(context);
        }

        return valid;
    }

    /// <summary>
    /// What S3 checks of a presigned URL besides its signature: X-Amz-Expires between 1 second and 7 days, the host
    /// signed, and every x-amz-* header the request carries signed (an unsigned one could change what was authorised,
    /// such as the run id in user metadata or the ACL). Null when the URL passes.
    /// </summary>
    public static AwsServiceException? ProblemWithPresigned(HttpContext context, SigV4Authorization authorization)
    {
        if (!authorization.Presigned)
        {
            return null;
        }

        var expires = context.Request.Query["X-Amz-Expires"].ToString();
        if (!int.TryParse(expires, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds < 1 || seconds > 604800)
        {
            return new AwsServiceException(400, "AuthorizationQueryParametersError", "X-Amz-Expires must be a number of seconds from 1 to 604800 (a week).");
        }

        if (!authorization.SignedHeaders.Contains("host"))
        {
            return new AwsServiceException(400, "AuthorizationQueryParametersError", "X-Amz-SignedHeaders must include host.");
        }

        var unsigned = context.Request.Headers.Keys
            .Select(name => name.ToLowerInvariant())
            .Where(name => name.StartsWith("x-amz-", StringComparison.Ordinal) && !authorization.SignedHeaders.Contains(name))
            .Order(StringComparer.Ordinal)
            .ToList();
        return unsigned.Count > 0
            ? new AwsServiceException(403, "AccessDenied", $"There were headers present in the request which were not signed: {string.Join(", ", unsigned)}")
            : null;
    }

    /// <summary>
    /// AWS refuses a header-signed request dated more than 15 minutes from its clock and a presigned URL past
    /// X-Amz-Date + X-Amz-Expires. Returns the two times for the error when the request is out of time.
    /// </summary>
    public (string RequestTime, string ServerTime)? CheckTime(HttpContext context, SigV4Authorization authorization)
    {
        if (signingClock is null)
        {
            return null;
        }

        var request = context.Request;
        var amzDate = authorization.Presigned ? request.Query["X-Amz-Date"].ToString() : request.Headers["x-amz-date"].ToString();
        var now = signingClock.GetUtcNow();
        var serverTime = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return (amzDate, serverTime);
        }

        if (authorization.Presigned)
        {
            var expires = int.TryParse(request.Query["X-Amz-Expires"], out var seconds) ? seconds : 0;
            return now > signedAt.AddSeconds(expires) || signedAt > now.AddMinutes(15) ? (amzDate, serverTime) : null;
        }

        return (now - signedAt).Duration() > TimeSpan.FromMinutes(15) ? (amzDate, serverTime) : null;
    }

    private static string CanonicalQuery(string rawQuery, bool presigned)
    {
        var pairs = new List<(string Key, string Value)>();
        foreach (var part in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals >= 0 ? part[..equals] : part);
            var value = equals >= 0 ? Uri.UnescapeDataString(part[(equals + 1)..]) : "";
            if (presigned && name == "X-Amz-Signature")
            {
                continue;
            }

            pairs.Add((Uri.EscapeDataString(name), Uri.EscapeDataString(value)));
        }

        return string.Join('&', pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
    }

    private static async Task<string> HashBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[16384];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    public static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
