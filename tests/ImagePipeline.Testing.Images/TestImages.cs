namespace ImagePipeline.Testing.Images;

/// <summary>Small disk images for tests: random data, or sparse with a few data regions.</summary>
public static class TestImages
{
    public const int MiB = 1024 * 1024;

    /// <summary>A file of <paramref name="size"/> random bytes (the same bytes for the same seed); returns its path.</summary>
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

    /// <summary>
    /// A sparse file of <paramref name="size"/> bytes whose data lies only in <paramref name="dataRegions"/> (random,
    /// non-zero bytes); the rest are holes. Returns its path.
    /// </summary>
    public static string WriteSparse(string path, long size, params (long Offset, int Length)[] dataRegions)
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

        return path;
    }
}
