using System.Globalization;
using System.Security.Cryptography;
using ImagePipeline.Bundling.Images;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Bundling.Tests;

/// <summary>Ways to compare a restored image with the original, and to see what it occupies on disk.</summary>
public static class ImageAssertions
{
    /// <summary>
    /// Same length and same bytes, comparing only where either file holds data (holes read as zeros on both sides),
    /// so multi-GiB sparse images compare in milliseconds.
    /// </summary>
    public static async Task AssertSameContentAsync(string expectedPath, string actualPath)
    {
        using var expected = File.OpenHandle(expectedPath);
        using var actual = File.OpenHandle(actualPath);
        var size = RandomAccess.GetLength(expected);
        RandomAccess.GetLength(actual).Should().Be(size, "the restored file has the image's size");
        var regions = (await ImageDataMap.FindDataRegionsAsync(expected, size, CancellationToken.None))
            .Concat(await ImageDataMap.FindDataRegionsAsync(actual, size, CancellationToken.None));
        var expectedBuffer = new byte[TestImages.MiB];
        var actualBuffer = new byte[TestImages.MiB];
        foreach (var region in regions)
        {
            for (var offset = region.Offset; offset < region.End; offset += TestImages.MiB)
            {
                var length = (int)Math.Min(TestImages.MiB, region.End - offset);
                RandomAccess.Read(expected, expectedBuffer.AsSpan(0, length), offset);
                RandomAccess.Read(actual, actualBuffer.AsSpan(0, length), offset);
                if (!expectedBuffer.AsSpan(0, length).SequenceEqual(actualBuffer.AsSpan(0, length)))
                {
                    throw new Xunit.Sdk.XunitException($"'{actualPath}' differs from '{expectedPath}' within bytes {offset}..{offset + length}.");
                }
            }
        }
    }

    public static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    /// <summary>Bytes the file system allocated for the file (what `du` reports), to see that holes stayed holes.</summary>
    public static long AllocatedBytes(string path)
    {
        var fields = ShellCommand.Run($"stat -c '%b %B' '{path}'", Path.GetDirectoryName(path)!).Trim().Split(' ');
        return long.Parse(fields[0], CultureInfo.InvariantCulture) * long.Parse(fields[1], CultureInfo.InvariantCulture);
    }
}
