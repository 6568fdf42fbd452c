using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling.Credentials;
using ImagePipeline.Bundling.Images;
using Microsoft.Win32.SafeHandles;

namespace ImagePipeline.Bundling;

/// <summary>
/// Everything that can be checked before reading the image, each problem as one sentence that says how to fix it.
/// </summary>
internal sealed class BundlePreflight
{
    private readonly TimeProvider _time;

    public BundlePreflight(TimeProvider time)
    {
        _time = time;
    }

    public async Task<IReadOnlyList<string>> CheckAsync(BundleRequest request, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var accountId = BundleRequestRules.NormalizeAccountId(request.AccountId ?? string.Empty);
        if (!BundleRequestRules.IsValidAccountId(accountId))
        {
            problems.Add($"The account id '{request.AccountId}' is not 12 digits; pass your AWS account id, for example 123456789012.");
        }

        if (!BundleRequestRules.Architectures.Contains(request.Architecture, StringComparer.Ordinal))
        {
            problems.Add($"The architecture '{request.Architecture}' is not valid; pass one of {string.Join(", ", BundleRequestRules.Architectures)}.");
        }

        if (!BundleRequestRules.ImageTypes.Contains(request.ImageType, StringComparer.Ordinal))
        {
            problems.Add($"The image type '{request.ImageType}' is not valid; pass one of {string.Join(", ", BundleRequestRules.ImageTypes)}.");
        }

        if (BundleRequestRules.ProblemWithName(BundleRequestRules.BundleName(request)) is { } nameProblem)
        {
            problems.Add(nameProblem);
        }

        CheckCredentials(request, problems);
        var allocated = await CheckImageAsync(request.ImagePath, problems, cancellationToken).ConfigureAwait(false);
        CheckDestination(request.DestinationDirectory, allocated, problems);
        return problems;
    }

    private void CheckCredentials(BundleRequest request, List<string> problems)
    {
        using var userCertificate = TryLoadCertificate(request.UserCertificatePath, "user", problems);
        using var ec2Certificate = TryLoadCertificate(request.Ec2CertificatePath, "EC2", problems);
        using var userPublicKey = userCertificate?.GetRSAPublicKey();
        if (userCertificate is not null)
        {
            if (userPublicKey is null)
            {
                problems.Add($"The user certificate '{request.UserCertificatePath}' does not hold an RSA key; bundles need an RSA certificate, so use the one issued with your RSA key pair.");
            }

            var now = _time.GetUtcNow();
            if (userCertificate.NotAfter.ToUniversalTime() < now.UtcDateTime)
            {
                problems.Add($"The user certificate '{request.UserCertificatePath}' expired on {userCertificate.NotAfter.ToUniversalTime():yyyy-MM-dd}; create or upload a current certificate and pass it.");
            }
            else if (userCertificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
            {
                problems.Add($"The user certificate '{request.UserCertificatePath}' is not valid before {userCertificate.NotBefore.ToUniversalTime():yyyy-MM-dd}; check the machine's clock or use a current certificate.");
            }
        }

        if (ec2Certificate is not null && ec2Certificate.GetRSAPublicKey() is null)
        {
            problems.Add($"The EC2 certificate '{request.Ec2CertificatePath}' does not hold an RSA key; pass the AMI tools' cert-ec2.pem for the target partition.");
        }

        RSA? privateKey = null;
        try
        {
            privateKey = PemCredentialLoader.LoadPrivateKey(request.PrivateKeyPath, request.PrivateKeyPassphrase);
            if (userPublicKey is not null && !PemCredentialLoader.KeyMatchesCertificate(privateKey, userPublicKey))
            {
                problems.Add($"The private key '{request.PrivateKeyPath}' does not belong to the user certificate '{request.UserCertificatePath}'; pass the key and certificate of the same key pair.");
            }
        }
        catch (PipelineException ex)
        {
            problems.Add(ex.Message);
        }
        finally
        {
            privateKey?.Dispose();
        }
    }

    private static X509Certificate2? TryLoadCertificate(string path, string role, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            problems.Add($"The {role} certificate '{path}' does not exist; pass the path of the PEM certificate file.");
            return null;
        }

        try
        {
            return PemCredentialLoader.LoadCertificate(path, role);
        }
        catch (PipelineException ex)
        {
            problems.Add(ex.Message);
            return null;
        }
    }

    /// <summary>Returns the bytes of data the image holds (holes excluded), or 0 when it cannot be read.</summary>
    private static async Task<long> CheckImageAsync(string imagePath, List<string> problems, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(imagePath) && ImageFileKind.ProblemWith(imagePath) is { } kindProblem)
        {
            problems.Add(kindProblem);
            return 0;
        }

        if (string.IsNullOrWhiteSpace(imagePath) || !File.Exists(imagePath))
        {
            problems.Add($"The image '{imagePath}' does not exist; pass the path of the raw disk image to bundle.");
            return 0;
        }

        try
        {
            using SafeFileHandle image = File.OpenHandle(imagePath, FileMode.Open, FileAccess.Read, FileShare.Read);
            var size = ImageSize.Of(image);
            if (size == 0)
            {
                problems.Add($"The image '{imagePath}' is empty; pass a raw disk image that holds a file system.");
                return 0;
            }

            var regions = await ImageDataMap.FindDataRegionsAsync(image, size, cancellationToken).ConfigureAwait(false);
            return regions.Sum(region => region.Length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"The image '{imagePath}' cannot be read ({ex.Message}); check its permissions, or run as a user that can read it.");
            return 0;
        }
    }

    private static void CheckDestination(string destination, long imageDataBytes, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(destination))
        {
            problems.Add("No destination directory was given; pass the directory to write the bundle into.");
            return;
        }

        // The destination is created when missing, so check the nearest folder that exists.
        var existing = Path.GetFullPath(destination);
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                problems.Add($"The destination '{destination}' is a file; pass a directory.");
                return;
            }

            existing = Path.GetDirectoryName(existing);
            if (existing is null)
            {
                problems.Add($"The destination '{destination}' cannot be created; pass an existing directory.");
                return;
            }
        }

        try
        {
            using var probe = new FileStream(
                Path.Combine(existing, ".imagepipeline-write-check-" + Guid.NewGuid().ToString("N")),
                FileMode.CreateNew,
                FileAccess.Write,
                FileShare.None,
                bufferSize: 1,
                FileOptions.DeleteOnClose);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"The destination '{existing}' is not writable ({ex.Message}); pass a directory you can write to.");
            return;
        }

        // Compressed data is usually smaller than the image's data, so its allocated size is a safe estimate of the bundle.
        var available = new DriveInfo(existing).AvailableFreeSpace;
        if (available < imageDataBytes)
        {
            problems.Add($"The destination '{existing}' has {FormatBytes(available)} free but the bundle may need up to {FormatBytes(imageDataBytes)}; free some space or pass another directory.");
        }
    }

    private static string FormatBytes(long bytes) => bytes >= 1L << 30
        ? $"{bytes / (double)(1L << 30):0.0} GiB"
        : $"{bytes / (double)(1L << 20):0.0} MiB";
}
