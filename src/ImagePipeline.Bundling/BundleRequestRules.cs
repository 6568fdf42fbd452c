using System.Text;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling.Tar;

namespace ImagePipeline.Bundling;

/// <summary>The rules a <see cref="BundleRequest"/>'s plain values must meet, and their normal forms.</summary>
internal static class BundleRequestRules
{
    public static readonly IReadOnlyList<string> Architectures = ["x86_64", "arm64", "i386"];

    public static readonly IReadOnlyList<string> ImageTypes = ["machine", "kernel", "ramdisk"];

    /// <summary>The account id without dashes or spaces, as the manifest's <c>user</c> holds it.</summary>
    public static string NormalizeAccountId(string accountId) =>
        accountId.Replace("-", string.Empty, StringComparison.Ordinal).Trim();

    public static bool IsValidAccountId(string normalized) =>
        normalized.Length == 12 && normalized.All(char.IsAsciiDigit);

    public static string BundleName(BundleRequest request) => BundleName(request.Name, request.ImagePath);

    public static string BundleName(string? name, string imagePath) =>
        string.IsNullOrWhiteSpace(name) ? Path.GetFileName(imagePath) : name.Trim();

    /// <summary>Returns why the name cannot be a bundle prefix and tar entry name, or null when it can.</summary>
    public static string? ProblemWithName(string name)
    {
        if (name.Length == 0 || name is "." or "..")
        {
            return "The bundle name is empty; pass a name such as 'my-image'.";
        }

        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.Any(char.IsControl))
        {
            return $"The bundle name '{name}' contains a path separator or control character; pass a plain file name such as 'my-image'.";
        }

        if (Encoding.UTF8.GetByteCount(name) > GnuTarHeaderWriter.MaxNameBytes)
        {
            return $"The bundle name is longer than {GnuTarHeaderWriter.MaxNameBytes} bytes; pass a shorter name.";
        }

        return null;
    }
}
