namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>Small disk images: random data, or sparse with a few data regions.</summary>
public static class TestImages
{
    public const int MiB = 1024 * 1024;

    public static string WriteRandom(string path, long size, int seed = 1)
    {
        var random = new Random(seed);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        var buffer = new byte[MiB];
        for (long written = 0; written < size; written += buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }

        return path;
    }

    /// <summary>A sparse file whose data lies only in the given regions (random bytes); the rest are holes.</summary>
    public static string WriteSparse(string path, long size, params (long Offset, int Length)[] dataRegions)
    {
        var random = new Random(7);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.SetLength(size);
        foreach (var (offset, length) in dataRegions)
        {
            var data = new byte[length];
            random.NextBytes(data);
            file.Position = offset;
            file.Write(data);
        }

        return path;
    }
}
