using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling.Credentials;
using ImagePipeline.Bundling.Encryption;
using ImagePipeline.Bundling.Manifests;
using ImagePipeline.Bundling.Parts;
using ImagePipeline.Bundling.Streams;
using ImagePipeline.Bundling.Tar;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Bundling;

/// <summary>
/// Opens one bundle for verification or unbundling: checks the manifest's signature, part list and sizes, unwraps the
/// key with the user's private key, then streams parts (each SHA-1 checked) → AES-128-CBC → gunzip → tar, checking the
/// tar stream's SHA-1 against the manifest.
/// </summary>
internal sealed class BundleOpener
{
    private readonly BundleKeyRequest _request;
    private readonly ILogger _logger;

    public BundleOpener(BundleKeyRequest request, ILogger logger)
    {
        _request = request;
        _logger = logger;
    }

    public async Task<BundleVerification> VerifyAsync(IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var signed = await ManifestReader.ReadAsync(_request.ManifestPath, cancellationToken).ConfigureAwait(false);
        var (manifest, parts, keyMaterial) = Open(signed);
        using (keyMaterial)
        {
            await StreamAsync(manifest, parts, keyMaterial, new DiscardingTarDataSink(), progress, cancellationToken).ConfigureAwait(false);
        }

        _logger.LogInformation("Bundle {Name} verified: {Parts} parts, tar SHA-1 {Digest}", manifest.Name, parts.Count, manifest.TarDigestSha1);
        return new BundleVerification(manifest.Name, manifest.Architecture, manifest.User, manifest.Size, manifest.BundledSize, parts.Count, manifest.TarDigestSha1);
    }

    /// <summary>
    /// Writes the image as NAME (the manifest's signed name) in the destination. It is written under a temporary name
    /// first and moved into place only when complete and verified, so a failure removes only what this run wrote and an
    /// existing file of that name is replaced only with <see cref="BundleKeyRequest.Overwrite"/>, checked before any work.
    /// </summary>
    public async Task<string> UnbundleAsync(string destinationDirectory, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var signed = await ManifestReader.ReadAsync(_request.ManifestPath, cancellationToken).ConfigureAwait(false);
        var target = Path.Combine(Path.GetFullPath(destinationDirectory), signed.Manifest.Name);
        RefuseToReplace(target);

        var (manifest, parts, keyMaterial) = Open(signed);
        Directory.CreateDirectory(destinationDirectory);
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{manifest.Name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.unbundling");
        var completed = false;
        try
        {
            using (keyMaterial)
            using (var output = new SparseFileTarDataSink(temporary))
            {
                await StreamAsync(manifest, parts, keyMaterial, output, progress, cancellationToken).ConfigureAwait(false);
            }

            RefuseToReplace(target);
            File.Move(temporary, target, _request.Overwrite);
            completed = true;
            _logger.LogInformation("Bundle {Name} unbundled to {Path}", manifest.Name, target);
            return target;
        }
        finally
        {
            if (!completed)
            {
                File.Delete(temporary);
            }
        }
    }

    private void RefuseToReplace(string target)
    {
        if (Directory.Exists(target))
        {
            throw PipelineException.Input($"The destination already holds a folder '{target}', where the image would go; pass another --unbundle-destination.");
        }

        if (!_request.Overwrite && File.Exists(target))
        {
            throw PipelineException.Input($"The destination already holds '{target}'; pass --overwrite to replace it, or another --unbundle-destination.");
        }
    }

    private (BundleManifest Manifest, List<(string Path, string Sha1Hex)> Parts, BundleKeyMaterial KeyMaterial) Open(SignedManifest signed)
    {
        var manifest = signed.Manifest;
        var manifestPath = _request.ManifestPath;
        using var privateKey = PemCredentialLoader.LoadPrivateKey(_request.PrivateKeyPath, _request.PrivateKeyPassphrase);
        VerifySignature(manifest, signed.SignedText, signed.Signature, privateKey);

        if (manifest.DeclaredPartCount != manifest.Parts.Count)
        {
            throw new PipelineException($"The manifest of '{manifest.Name}' declares {manifest.DeclaredPartCount} parts but lists {manifest.Parts.Count}; the manifest is damaged, so bundle the image again.");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        var parts = new List<(string Path, string Sha1Hex)>(manifest.Parts.Count);
        long bundledSize = 0;
        for (var index = 0; index < manifest.Parts.Count; index++)
        {
            var part = manifest.Parts[index];
            if (part.Index != index)
            {
                throw new PipelineException($"The manifest of '{manifest.Name}' has no part with index {index}; the manifest is damaged, so bundle the image again.");
            }

            var path = Path.Combine(directory, part.FileName);
            if (!File.Exists(path))
            {
                throw new PipelineException($"The part '{part.FileName}' is missing from '{directory}'; copy every part of the bundle next to its manifest.");
            }

            bundledSize += new FileInfo(path).Length;
            parts.Add((path, part.Sha1Hex));
        }

        if (bundledSize != manifest.BundledSize)
        {
            throw new PipelineException($"The parts of '{manifest.Name}' hold {bundledSize} bytes but the manifest says {manifest.BundledSize}; a part is truncated or damaged, so copy the parts again.");
        }

        try
        {
            return (manifest, parts, BundleKeyMaterial.Unwrap(privateKey, manifest.UserEncryptedKey, manifest.UserEncryptedIv));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            throw PipelineException.Input($"The private key '{_request.PrivateKeyPath}' cannot open the bundle '{manifest.Name}': it was made for another key; pass the private key of the certificate it was bundled with.", ex);
        }
    }

    private void VerifySignature(BundleManifest manifest, string text, string signature, RSA privateKey)
    {
        RSA publicKey = privateKey;
        System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null;
        try
        {
            if (_request.UserCertificatePath is { Length: > 0 } certificatePath)
            {
                certificate = PemCredentialLoader.LoadCertificate(certificatePath, "user");
                publicKey = PemCredentialLoader.RequireRsaPublicKey(certificate, certificatePath, "user");
            }

            if (!ManifestSignature.Verify(publicKey, ManifestSignature.SignedText(text), signature))
            {
                throw new PipelineException($"The manifest signature of '{manifest.Name}' does not match: the manifest was changed after bundling or signed with another key; bundle the image again or pass the matching certificate.");
            }
        }
        finally
        {
            if (!ReferenceEquals(publicKey, privateKey))
            {
                publicKey.Dispose();
            }

            certificate?.Dispose();
        }
    }

    private static async Task StreamAsync(
        BundleManifest manifest,
        List<(string Path, string Sha1Hex)> parts,
        BundleKeyMaterial keyMaterial,
        ITarDataSink sink,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        using var tarHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var aes = keyMaterial.CreateCipher();
        using var decryptor = aes.CreateDecryptor();
        try
        {
            var partStream = new VerifiedPartStream(parts);
            await using (partStream.ConfigureAwait(false))
            {
                var decrypted = new CryptoStream(partStream, decryptor, CryptoStreamMode.Read);
                await using (decrypted.ConfigureAwait(false))
                {
                    var decompressed = new GZipStream(decrypted, CompressionMode.Decompress);
                    await using (decompressed.ConfigureAwait(false))
                    {
                        var tarStream = new HashingReadStream(decompressed, tarHash);
                        var reader = new TarArchiveReader(tarStream);
                        var entry = await reader.NextFileEntryAsync(cancellationToken).ConfigureAwait(false)
                            ?? throw new PipelineException($"The bundle '{manifest.Name}' holds no file; bundle the image again.");
                        if (entry.RealSize != manifest.Size)
                        {
                            throw new PipelineException($"The image in '{manifest.Name}' is {entry.RealSize} bytes but the manifest says {manifest.Size}; the bundle is inconsistent, so bundle the image again.");
                        }

                        await reader.CopyEntryDataAsync(entry, sink, progress, cancellationToken).ConfigureAwait(false);
                        await DrainAsync(tarStream, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (CryptographicException ex)
        {
            throw new PipelineException($"The data of '{manifest.Name}' does not decrypt with its key: the parts or the manifest's key were changed; bundle the image again.", ex);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            // Every malformed tar, gzip or padding ends here as one line: the reader turns what it cannot read into InvalidDataException.
            throw new PipelineException($"The data of '{manifest.Name}' is damaged ({ex.Message}); bundle the image again.", ex);
        }

        var digest = Convert.ToHexStringLower(tarHash.GetHashAndReset());
        if (!string.Equals(digest, manifest.TarDigestSha1, StringComparison.Ordinal))
        {
            throw new PipelineException($"The tar stream of '{manifest.Name}' does not match the manifest's digest; the bundle was changed or damaged, so bundle the image again.");
        }
    }

    /// <summary>Reads the rest of the tar stream (end blocks, padding) so that the digest covers all of it.</summary>
    private static async Task DrainAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
