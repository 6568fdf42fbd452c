using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling;

// ec2-bundle-vol and ec2-upload-bundle for the SSH tests' loopback "instance". The volume is an image file given with
// --image (a test cannot rsync a live root into a loop device); everything else is done for real.
var options = Options.Parse(args.Skip(1).ToArray());
try
{
    return args.FirstOrDefault() switch
    {
        "bundle-vol" => await BundleVolumeAsync(options),
        "upload-bundle" => await UploadBundleAsync(options),
        _ => Fail("usage: bundle-vol ... | upload-bundle ..."),
    };
}
catch (PipelineException exception)
{
    return Fail(exception.Message);
}

static async Task<int> BundleVolumeAsync(Options options)
{
    var keyPath = options.Required("-k");
    var excluded = options.All("-e").Concat(["/dev", "/media", "/mnt", "/proc", "/sys"]).ToArray();

    // As ec2-bundle-vol: the key must sit in a path that is left out of the image.
    if (!excluded.Any(path => keyPath.StartsWith(path.TrimEnd('/') + "/", StringComparison.Ordinal)))
    {
        return Fail($"the key {keyPath} is not in an excluded path; it would be bundled");
    }

    // As ec2-bundle-vol 1.5.3: the destination must exist; it does not create it.
    if (!Directory.Exists(options.Required("-d")))
    {
        return Fail($"--destination has invalid value '{options.Required("-d")}': Directory does not exist");
    }

    Console.WriteLine($"Copying {options.Required("--image")} into the image file...");
    var result = await new ImageBundler().BundleAsync(
        new BundleRequest
        {
            ImagePath = options.Required("--image"),
            UserCertificatePath = options.Required("-c"),
            PrivateKeyPath = keyPath,
            Ec2CertificatePath = options.Required("--ec2cert"),
            AccountId = options.Required("-u"),
            Architecture = options.Required("-r"),
            Name = options.Required("-p"),
            DestinationDirectory = options.Required("-d"),
        },
        null,
        CancellationToken.None);
    Console.WriteLine($"Created {result.Parts.Count} parts; ec2-bundle-vol complete.");
    return 0;
}

static async Task<int> UploadBundleAsync(Options options)
{
    var target = options.Required("-b");
    var bucket = target.Split('/')[0];
    var prefix = target.Contains('/', StringComparison.Ordinal) ? target[(bucket.Length + 1)..].TrimEnd('/') + "/" : string.Empty;
    var manifestPath = options.Required("-m");

    // The stand-in for the instance role: credentials in a file on the instance, never on the command line.
    var credentials = File.ReadAllLines(options.Required("--credentials-file"));
    using var s3 = new AmazonS3Client(
        new BasicAWSCredentials(credentials[0], credentials[1]),
        new AmazonS3Config
        {
            ServiceURL = options.Required("--endpoint"),
            AuthenticationRegion = options.Required("--region"),
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
    var directory = Path.GetDirectoryName(manifestPath)!;
    using var manifest = File.OpenRead(manifestPath);
    var parts = System.Xml.Linq.XElement.Load(manifest).Element("image")!.Element("parts")!.Elements("part").Select(part => part.Element("filename")!.Value);
    foreach (var file in parts.Append(Path.GetFileName(manifestPath)))
    {
        var path = Path.Combine(directory, file);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = prefix + file,
            FilePath = path,
            MD5Digest = Convert.ToBase64String(MD5.HashData(File.ReadAllBytes(path))),
            CannedACL = new S3CannedACL(options.Optional("--acl") ?? "aws-exec-read"),
        });
        Console.WriteLine($"Uploaded {file}");
    }

    Console.WriteLine("ec2-upload-bundle complete.");
    return 0;
}

static int Fail(string message)
{
    Console.Error.WriteLine("ERROR: " + message);
    return 1;
}

/// <summary>The tools' options: "-x value" pairs (repeatable) and value-less flags such as --batch and --retry.</summary>
internal sealed class Options(Dictionary<string, List<string>> values)
{
    private static readonly HashSet<string> Flags = ["--batch", "--retry"];

    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var value = !Flags.Contains(name) && i + 1 < args.Length ? args[++i] : string.Empty;
            if (!values.TryGetValue(name, out var list))
            {
                values[name] = list = [];
            }

            list.Add(value);
        }

        return new Options(values);
    }

    public string Required(string name) =>
        Optional(name) ?? throw new PipelineException($"option {name} is missing");

    public string? Optional(string name) => values.TryGetValue(name, out var list) ? list[^1] : null;

    public IEnumerable<string> All(string name) => values.TryGetValue(name, out var list) ? list : [];
}
