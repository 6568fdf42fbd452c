using System.Diagnostics;
using System.Globalization;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling;

// Usage: ImagePipeline.Benchmarks.Bundling IMAGE OUT_DIR USER_CERT USER_KEY EC2_CERT [GZIP_LEVEL]
// Bundles IMAGE into OUT_DIR and prints one line: seconds, parts, bundled bytes. Exit 2 on a usage error.
// GZIP_LEVEL (default: the product's, ImageBundler.DefaultCompressionLevel) lets the benchmark compare levels.
if (args.Length is not (5 or 6))
{
    Console.Error.WriteLine("usage: ImagePipeline.Benchmarks.Bundling IMAGE OUT_DIR USER_CERT USER_KEY EC2_CERT [GZIP_LEVEL]");
    return 2;
}

var level = args.Length == 6 ? int.Parse(args[5], CultureInfo.InvariantCulture) : ImageBundler.DefaultCompressionLevel;

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
    var result = await new ImageBundler(logger: null, time: null, Environment.ProcessorCount, level).BundleAsync(request, progress: null, CancellationToken.None);
    Console.WriteLine($"ours: {stopwatch.Elapsed.TotalSeconds:0.00} s, parts: {result.Parts.Count}, bytes: {result.BundledSize}");
    return 0;
}
catch (PipelineException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
