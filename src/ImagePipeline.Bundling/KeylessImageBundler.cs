using ImagePipeline.Abstractions;
using ImagePipeline.Bundling.Encryption;
using ImagePipeline.Bundling.Images;
using ImagePipeline.Bundling.Parts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagePipeline.Bundling;

/// <summary>
/// Bundles an image with public certificates only: the same stream as <see cref="ImageBundler"/> (tar → SHA-1 → gzip →
/// AES-128-CBC → 10 MiB parts), the bundle key encrypted for the user's and EC2's certificates, and no manifest. Each
/// part is announced as soon as it is on disk, so it can be uploaded while the rest is bundled. Part indexes are
/// padded to the digits of the largest part count the image could need, because a part is named before the count is
/// known; the manifest lists the names, so EC2 and the AMI tools read them as they read their own.
/// </summary>
public sealed class KeylessImageBundler
{
    private readonly ILogger<KeylessImageBundler> _logger;
    private readonly int _parallelism;

    public KeylessImageBundler(ILogger<KeylessImageBundler>? logger = null)
        : this(logger, Environment.ProcessorCount)
    {
    }

    internal KeylessImageBundler(ILogger<KeylessImageBundler>? logger, int parallelism)
    {
        _logger = logger ?? NullLogger<KeylessImageBundler>.Instance;
        _parallelism = Math.Max(1, parallelism);
    }

    /// <summary>
    /// Writes the parts into the destination, calling <paramref name="partFinished"/> (from a bundling thread) for each
    /// one once it is complete and flushed. On failure or cancellation every part written is removed.
    /// </summary>
    public async Task<UnsignedBundle> BundleAsync(
        KeylessBundleRequest request,
        IProgress<long>? progress,
        Action<StreamedBundlePart> partFinished,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(partFinished);
        var name = BundleRequestRules.BundleName(request.Name, request.ImagePath);
        ThrowOnInvalidRequest(request, name);
        Directory.CreateDirectory(request.DestinationDirectory);

        using var recipients = BundleRecipients.Load(request);
        using var image = await SourceImage.OpenAsync(request.ImagePath, cancellationToken).ConfigureAwait(false);
        if (image.Size == 0)
        {
            throw PipelineException.Input($"The image '{request.ImagePath}' is empty; pass a raw disk image that holds a file system.");
        }

        var digits = BundleLayout.IndexDigits(
            (BundleStreamPipeline.MaximumBundledSize(image.Regions) + BundleLayout.PartSize - 1) / BundleLayout.PartSize);
        _logger.LogInformation(
            "Bundling {Image} ({Size} bytes, {Data} bytes of data) as {Name} into {Destination} without a private key",
            request.ImagePath,
            image.Size,
            image.DataBytes,
            name,
            request.DestinationDirectory);

        return await WriteAsync(
            request,
            name,
            recipients,
            image,
            new PartFileWriter(request.DestinationDirectory, name, digits, partFinished),
            _parallelism,
            ImageBundler.DefaultCompressionLevel,
            progress,
            Task.FromResult,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The pass both bundlers make: the image through the bundle stream into <paramref name="partWriter"/>, described
    /// as the manifest will describe it (all but the account, product codes, ancestry and signature), then handed to
    /// <paramref name="finish"/> (<see cref="ImageBundler"/> writes the signed manifest there). On failure or
    /// cancellation, here or in <paramref name="finish"/>, every part written is removed.
    /// </summary>
    internal static async Task<T> WriteAsync<T>(
        KeylessBundleRequest request,
        string name,
        BundleRecipients recipients,
        SourceImage image,
        PartFileWriter partWriter,
        int parallelism,
        int compressionLevel,
        IProgress<long>? progress,
        Func<UnsignedBundle, Task<T>> finish,
        CancellationToken cancellationToken)
    {
        try
        {
            await using (partWriter.ConfigureAwait(false))
            {
                var tarDigest = await BundleStreamPipeline.WriteAsync(
                    image,
                    name,
                    recipients.KeyMaterial,
                    partWriter,
                    parallelism,
                    compressionLevel,
                    progress,
                    cancellationToken).ConfigureAwait(false);
                var parts = partWriter.Finish();
                return await finish(new UnsignedBundle
                {
                    Name = name,
                    Architecture = request.Architecture,
                    BlockDeviceMappings = request.BlockDeviceMappings,
                    KernelId = request.KernelId,
                    RamdiskId = request.RamdiskId,
                    ImageType = request.ImageType,
                    TarDigestSha1 = tarDigest,
                    ImageSize = image.Size,
                    BundledSize = parts.Sum(part => part.Size),
                    UserEncryptedKey = recipients.KeyMaterial.WrapKey(recipients.User),
                    UserEncryptedIv = recipients.KeyMaterial.WrapIv(recipients.User),
                    Ec2EncryptedKey = recipients.KeyMaterial.WrapKey(recipients.Ec2),
                    Ec2EncryptedIv = recipients.KeyMaterial.WrapIv(recipients.Ec2),
                    Parts = partWriter.StreamedParts,
                }).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not PipelineException and not OperationCanceledException)
        {
            partWriter.DeleteAll();
            throw new PipelineException($"Bundling '{request.ImagePath}' failed: {ex.Message}", ex);
        }
        catch
        {
            partWriter.DeleteAll();
            throw;
        }
    }

    private static void ThrowOnInvalidRequest(KeylessBundleRequest request, string name)
    {
        var problems = new List<string>();
        if (!BundleRequestRules.Architectures.Contains(request.Architecture, StringComparer.Ordinal))
        {
            problems.Add($"The architecture '{request.Architecture}' is not valid; pass one of {string.Join(", ", BundleRequestRules.Architectures)}.");
        }

        if (!BundleRequestRules.ImageTypes.Contains(request.ImageType, StringComparer.Ordinal))
        {
            problems.Add($"The image type '{request.ImageType}' is not valid; pass one of {string.Join(", ", BundleRequestRules.ImageTypes)}.");
        }

        if (BundleRequestRules.ProblemWithName(name) is { } nameProblem)
        {
            problems.Add(nameProblem);
        }

        if (problems.Count > 0)
        {
            throw PipelineException.Input(string.Join(" ", problems));
        }
    }
}
