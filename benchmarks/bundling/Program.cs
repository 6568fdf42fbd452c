using System.Diagnostics;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling;

// Usage: ImagePipeline.Benchmarks.Bundling IMAGE OUT_DIR USER_CERT USER_KEY EC2_CERT
// Bundles IMAGE into OUT_DIR and prints one line: seconds, parts, bundled bytes. Exit 2 on a usage error.
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: ImagePipeline.Benchmarks.Bundling IMAGE OUT_DIR USER_CERT USER_KEY EC2_CERT");
    return 2;
}

var request = new BundleRequest
{
    ImagePath = args[0],
    DestinationDirectory = args[1],
    UserCertificatePath = args[2],
    PrivateKeyPath = args[3],
    Ec2CertificatePath = args[4],
    AccountId = "123456789012",
    Architecture = "x86_64",
};

try
{
    var stopwatch = Stopwatch.StartNew();
    var result = await new ImageBundler().BundleAsync(request, progress: null, CancellationToken.None);
    Console.WriteLine($"ours: {stopwatch.Elapsed.TotalSeconds:0.00} s, parts: {result.Parts.Count}, bytes: {result.BundledSize}");
    return 0;
}
catch (PipelineException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
