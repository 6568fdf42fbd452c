using System.Security.Cryptography;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling.Credentials;
using ImagePipeline.Bundling.Encryption;
using ImagePipeline.Bundling.Manifests;

namespace ImagePipeline.Bundling;

/// <summary>
/// Writes and signs the manifest of a bundle made elsewhere without the private key (<see cref="KeylessImageBundler"/>),
/// on the machine that holds the key. Before signing it checks that the key opens the bundle key, so a bundle made for
/// another certificate is refused instead of registered and found unreadable later.
/// </summary>
public sealed class ManifestSealer : IManifestSealer
{
    /// <summary>Writes <c>NAME.manifest.xml</c> into <paramref name="destinationDirectory"/>; returns its path.</summary>
    public async Task<string> WriteAsync(UnsignedBundle bundle, ManifestSealRequest request, string destinationDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationDirectory);
        var text = Seal(bundle, request);
        Directory.CreateDirectory(destinationDirectory);
        var manifestPath = Path.Combine(destinationDirectory, BundleLayout.ManifestFileName(bundle.Name));

        await ManifestFile.WriteNewAsync(manifestPath, text, cancellationToken).ConfigureAwait(false);
        return manifestPath;
    }

    /// <summary>Returns the signed manifest text.</summary>
    public static string Seal(UnsignedBundle bundle, ManifestSealRequest request)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(request);
        var accountId = BundleRequestRules.NormalizeAccountId(request.AccountId ?? string.Empty);
        var problems = new List<string>();
        if (!BundleRequestRules.IsValidAccountId(accountId))
        {
            problems.Add($"The account id '{request.AccountId}' is not 12 digits; pass your AWS account id, for example 123456789012.");
        }

        if (BundleRequestRules.ProblemWithName(bundle.Name) is { } nameProblem)
        {
            problems.Add(nameProblem);
        }

        if (!BundleRequestRules.Architectures.Contains(bundle.Architecture, StringComparer.Ordinal))
        {
            problems.Add($"The architecture '{bundle.Architecture}' is not valid; bundle again with one of {string.Join(", ", BundleRequestRules.Architectures)}.");
        }

        problems.AddRange(PartProblems(bundle));
        if (problems.Count > 0)
        {
            throw PipelineException.Input(string.Join(" ", problems));
        }

        using var privateKey = PemCredentialLoader.LoadPrivateKey(request.PrivateKeyPath, request.PrivateKeyPassphrase);
        try
        {
            using var opened = BundleKeyMaterial.Unwrap(privateKey, bundle.UserEncryptedKey, bundle.UserEncryptedIv);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            throw PipelineException.Input($"The private key '{request.PrivateKeyPath}' cannot open the bundle key of '{bundle.Name}': the bundle was made for another user certificate; bundle again with the certificate of this key.", ex);
        }

        return ManifestWriter.Write(Manifest(bundle, accountId, request.ProductCodes, request.AncestorAmiIds), privateKey);
    }

    /// <summary>The manifest of <paramref name="bundle"/> with what the key holder adds (<paramref name="accountId"/> normalized), before signing.</summary>
    internal static BundleManifest Manifest(UnsignedBundle bundle, string accountId, IReadOnlyList<string> productCodes, IReadOnlyList<string> ancestorAmiIds) => new()
    {
        Architecture = bundle.Architecture,
        BlockDeviceMappings = bundle.BlockDeviceMappings.ToList(),
        KernelId = bundle.KernelId,
        RamdiskId = bundle.RamdiskId,
        ProductCodes = productCodes,
        Name = bundle.Name,
        User = accountId,
        ImageType = bundle.ImageType,
        AncestorAmiIds = ancestorAmiIds,
        TarDigestSha1 = bundle.TarDigestSha1,
        Size = bundle.ImageSize,
        BundledSize = bundle.BundledSize,
        Ec2EncryptedKey = bundle.Ec2EncryptedKey,
        UserEncryptedKey = bundle.UserEncryptedKey,
        Ec2EncryptedIv = bundle.Ec2EncryptedIv,
        UserEncryptedIv = bundle.UserEncryptedIv,
        DeclaredPartCount = bundle.Parts.Count,
        Parts = bundle.Parts.OrderBy(part => part.Index).Select(part => new ManifestPart(part.Index, part.FileName, part.Sha1Hex)).ToList(),
    };

    private static IEnumerable<string> PartProblems(UnsignedBundle bundle)
    {
        var parts = bundle.Parts.OrderBy(part => part.Index).ToList();
        if (parts.Count == 0)
        {
            yield return $"The bundle '{bundle.Name}' has no parts; bundle the image again.";
            yield break;
        }

        for (var index = 0; index < parts.Count; index++)
        {
            if (parts[index].Index != index)
            {
                yield return $"The parts of '{bundle.Name}' are not numbered 0 to {parts.Count - 1}; bundle the image again.";
                yield break;
            }

            if (BundleRequestRules.ProblemWithName(parts[index].FileName) is not null || parts[index].Sha1Hex.Length != 40)
            {
                yield return $"The part {index} of '{bundle.Name}' has no valid file name or SHA-1; bundle the image again.";
                yield break;
            }
        }

        if (parts.Sum(part => part.Size) != bundle.BundledSize)
        {
            yield return $"The parts of '{bundle.Name}' hold {parts.Sum(part => part.Size)} bytes but the bundle says {bundle.BundledSize}; bundle the image again.";
        }
    }
}
