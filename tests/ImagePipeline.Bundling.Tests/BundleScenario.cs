using ImagePipeline.Abstractions;

namespace ImagePipeline.Bundling.Tests;

/// <summary>A scratch directory with credentials, an image path and a destination, ready to bundle.</summary>
public sealed class BundleScenario : IDisposable
{
    private readonly TestDirectory _directory = new();

    public BundleScenario()
    {
        Credentials = TestCredentials.Create(_directory.Path);
        ImagePath = _directory.File("disk.img");
        BundleDirectory = _directory.File("bundle");
        UnbundleDirectory = _directory.File("restored");
    }

    public TestCredentials Credentials { get; }

    public string ImagePath { get; }

    public string BundleDirectory { get; }

    public string UnbundleDirectory { get; }

    public string Root => _directory.Path;

    public ImageBundler Bundler { get; } = new();

    public string File(string name) => _directory.File(name);

    public BundleRequest Request(string? name = null) => new()
    {
        ImagePath = ImagePath,
        UserCertificatePath = Credentials.UserCertificatePath,
        PrivateKeyPath = Credentials.PrivateKeyPath,
        Ec2CertificatePath = Credentials.Ec2CertificatePath,
        AccountId = "1234-5678-9012",
        Architecture = "x86_64",
        Name = name,
        DestinationDirectory = BundleDirectory,
        BlockDeviceMappings = new Dictionary<string, string> { ["root"] = "/dev/sda1", ["ami"] = "sda1" },
    };

    public BundleKeyRequest KeyRequest(string manifestPath, bool withCertificate = true) => new()
    {
        ManifestPath = manifestPath,
        PrivateKeyPath = Credentials.PrivateKeyPath,
        UserCertificatePath = withCertificate ? Credentials.UserCertificatePath : null,
    };

    public Task<BundleResult> BundleAsync(BundleRequest? request = null) =>
        Bundler.BundleAsync(request ?? Request(), progress: null, CancellationToken.None);

    public void Dispose() => _directory.Dispose();
}
