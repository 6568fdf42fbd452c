using ImagePipeline.Abstractions;
using ImagePipeline.Bundling.Credentials;
using ImagePipeline.Bundling.Encryption;
using ImagePipeline.Bundling.Images;
using ImagePipeline.Bundling.Manifests;
using ImagePipeline.Bundling.Parts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagePipeline.Bundling;

/// <summary>
/// Makes, checks and unpacks instance-store AMI bundles in pure C#, interchangeable with the EC2 AMI tools:
/// tar (GNU, sparse) → SHA-1 → gzip at <see cref="DefaultCompressionLevel"/> (parallel chunks, one member) → AES-128-CBC → 10 MiB parts, with a signed manifest.
/// </summary>
public sealed class ImageBundler : IImageBundler
{
    private readonly ILogger<ImageBundler> _logger;
    private readonly TimeProvider _time;
    private readonly int _parallelism;
    private readonly int _compressionLevel;

    /// <summary>
    /// The deflate level. Any level makes a valid gzip stream for EC2 and the AMI tools; the AMI tools use gzip -9.
    /// Measured in docs/BENCHMARKS.md: zlib-ng's level 7, in parallel 2 MiB chunks, is 3.4x faster than the
    /// tar | gzip -9 | openssl pipeline with output 0.05% larger, while level 9 is 2.7x with output 0.08% larger.
    /// </summary>
    public const int DefaultCompressionLevel = 7;

    public ImageBundler(ILogger<ImageBundler>? logger = null, TimeProvider? time = null)
        : this(logger, time, Environment.ProcessorCount, DefaultCompressionLevel)
    {
    }

    /// <summary>For benchmarks, which compare levels.</summary>
    internal ImageBundler(ILogger<ImageBundler>? logger, TimeProvider? time, int parallelism, int compressionLevel)
    {
        _logger = logger ?? NullLogger<ImageBundler>.Instance;
        _time = time ?? TimeProvider.System;
        _parallelism = Math.Max(1, parallelism);
        _compressionLevel = compressionLevel;
    }

    public Task<IReadOnlyList<string>> PreflightAsync(BundleRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new BundlePreflight(_time).CheckAsync(request, cancellationToken);
    }

    public async Task<BundleResult> BundleAsync(BundleRequest request, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = await PreflightAsync(request, cancellationToken).ConfigureAwait(false);
        if (problems.Count > 0)
        {
            throw PipelineException.Input(string.Join(" ", problems));
        }

        return await WriteBundleAsync(request, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The bundling pass itself, without the preflight (which refuses, for example, an empty image).</summary>
    internal async Task<BundleResult> WriteBundleAsync(BundleRequest request, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var name = BundleRequestRules.BundleName(request);

        // Never written over, so that a failure can remove exactly what this run wrote and nothing of the user's.
        if (BundleLayout.ExistingFiles(request.DestinationDirectory, name) is [var existing, ..])
        {
            throw PipelineException.Input($"The destination '{request.DestinationDirectory}' already holds '{Path.GetFileName(existing)}' of a bundle named '{name}'; remove that bundle, or choose another bundle name or destination.");
        }

        Directory.CreateDirectory(request.DestinationDirectory);

        using var recipients = BundleRecipients.Load(request);
        using var privateKey = PemCredentialLoader.LoadPrivateKey(request.PrivateKeyPath, request.PrivateKeyPassphrase);

        using var image = await SourceImage.OpenAsync(request.ImagePath, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation(
            "Bundling {Image} ({Size} bytes, {Data} bytes of data in {Regions} regions) as {Name} into {Destination}",
            request.ImagePath,
            image.Size,
            image.DataBytes,
            image.Regions.Count,
            name,
            request.DestinationDirectory);

        var manifestPath = Path.Combine(request.DestinationDirectory, BundleLayout.ManifestFileName(name));

        var partWriter = request.PartFinished is { } partFinished
            ? new PartFileWriter(
                request.DestinationDirectory,
                name,
                BundleLayout.IndexDigits((BundleStreamPipeline.MaximumBundledSize(image.Regions) + BundleLayout.PartSize - 1) / BundleLayout.PartSize),
                partFinished)
            : new PartFileWriter(request.DestinationDirectory, name);
        return await KeylessImageBundler.WriteAsync(
            request,
            name,
            recipients,
            image,
            partWriter,
            _parallelism,
            _compressionLevel,
            progress,
            async bundle =>
            {
                var manifest = ManifestSealer.Manifest(bundle, BundleRequestRules.NormalizeAccountId(request.AccountId), request.ProductCodes, request.AncestorAmiIds);
                await ManifestFile.WriteNewAsync(manifestPath, ManifestWriter.Write(manifest, privateKey), cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Bundle {Name}: {Parts} parts, {Bundled} bytes, manifest {Manifest}", name, bundle.Parts.Count, bundle.BundledSize, manifestPath);
                var parts = bundle.Parts.Select(part => new BundlePart(part.Index, part.FileName, part.Path, part.Size, part.Sha1Hex)).ToList();
                return new BundleResult(name, manifestPath, parts, image.Size, bundle.BundledSize, bundle.TarDigestSha1);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public Task<BundleVerification> VerifyAsync(BundleKeyRequest request, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new BundleOpener(request, _logger).VerifyAsync(progress, cancellationToken);
    }

    public Task<string> UnbundleAsync(BundleKeyRequest request, string destinationDirectory, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationDirectory);
        return new BundleOpener(request, _logger).UnbundleAsync(destinationDirectory, progress, cancellationToken);
    }
}
