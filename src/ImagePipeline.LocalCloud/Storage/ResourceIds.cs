using System.Security.Cryptography;

namespace ImagePipeline.LocalCloud.Storage;

/// <summary>New ids in the shapes AWS uses (prefix + 17 hex digits; bundle ids 8).</summary>
internal static class ResourceIds
{
    public static string New(string prefix, int hexDigits = 17) =>
        prefix + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes((hexDigits + 1) / 2))[..hexDigits];

    public static string NewRequestId() => Guid.NewGuid().ToString();
}
