using System.Globalization;
using System.Security.Cryptography;
using ImagePipeline.Bundling.Images;

namespace ImagePipeline.Bundling.Tests;

/// <summary>Image files of various shapes, and ways to compare them.</summary>
public static class TestImages
{
    public const int MiB = 1024 * 1024;

    public static void WriteRandom(string path, long size, int seed = 1)
    {
        var random = new Random(seed);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        var buffer = new byte[MiB];
        for (long written = 0; written < size; written += buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }
    }

    /// <summary>A sparse file of <paramref name="size"/> bytes whose data lies only in <paramref name="dataRegions"/> (random, non-zero bytes).</summary>
    public static void WriteSparse(string path, long size, params (long Offset, int Length)[] dataRegions)
    {
        var random = new Random(7);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.SetLength(size);
        foreach (var (offset, length) in dataRegions)
        {
            var data = new byte[length];
            random.NextBytes(data);
            data[0] = 1; // never starts with a zero, so a region's boundary is visible
            file.Position = offset;
            file.Write(data);
        }
    }

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
        var expectedBuffer = new byte[MiB];
        var actualBuffer = new byte[MiB];
        foreach (var region in regions)
        {
            for (var offset = region.Offset; offset < region.End; offset += MiB)
            {
                var length = (int)Math.Min(MiB, region.End - offset);
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
