using System.Net;
using System.Text.RegularExpressions;

namespace ImagePipeline.LocalCloud.S3;

/// <summary>The general-purpose bucket naming rules of S3.</summary>
internal static partial class BucketNameRules
{
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex Shape();

    public static bool IsValid(string name) =>
        Shape().IsMatch(name)
        && !name.Contains("..", StringComparison.Ordinal)
        && !name.Contains(".-", StringComparison.Ordinal)
        && !name.Contains("-.", StringComparison.Ordinal)
        && !name.StartsWith("xn--", StringComparison.Ordinal)
        && !name.StartsWith("sthree-", StringComparison.Ordinal)
        && !name.EndsWith("-s3alias", StringComparison.Ordinal)
        && !name.EndsWith("--ol-s3", StringComparison.Ordinal)
        && !name.EndsWith(".mrap", StringComparison.Ordinal)
        && !name.EndsWith("--x-s3", StringComparison.Ordinal)
        && !(IPAddress.TryParse(name, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
}
