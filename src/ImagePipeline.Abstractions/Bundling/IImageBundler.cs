namespace ImagePipeline.Abstractions;

/// <summary>
/// Makes, checks and unpacks instance-store AMI bundles (manifest version 2007-10-10): tar → SHA-1 → gzip → AES-128-CBC →
/// 10 MiB parts, with a signed XML manifest. Registered by the host; strategies take it from dependency injection.
/// </summary>
public interface IImageBundler
{
    /// <summary>
    /// Checks everything that can be checked before reading the image: the certificates parse, the private key opens
    /// (passphrase) and matches the user certificate, the image exists, the destination is writable and has room.
    /// Returns one sentence per problem; empty when all is well.
    /// </summary>
    Task<IReadOnlyList<string>> PreflightAsync(BundleRequest request, CancellationToken cancellationToken);

    /// <summary>Bundles the image in one streaming pass. Progress counts image bytes processed (holes included).</summary>
    Task<BundleResult> BundleAsync(BundleRequest request, IProgress<long>? progress, CancellationToken cancellationToken);

    /// <summary>Checks a bundle: part count, sizes and SHA-1s, the signature, and the digest of the decrypted tar stream. Throws a <see cref="PipelineException"/> naming what is wrong.</summary>
    Task<BundleVerification> VerifyAsync(BundleKeyRequest request, IProgress<long>? progress, CancellationToken cancellationToken);

    /// <summary>Verifies while reassembling the image, byte-identical and sparse, into <paramref name="destinationDirectory"/>; returns its path.</summary>
    Task<string> UnbundleAsync(BundleKeyRequest request, string destinationDirectory, IProgress<long>? progress, CancellationToken cancellationToken);
}
