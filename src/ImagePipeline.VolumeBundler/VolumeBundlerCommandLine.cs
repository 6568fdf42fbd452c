using System.Globalization;
using System.Runtime.InteropServices;
using ImagePipeline.Abstractions;
using ImagePipeline.Bundling;
using ImagePipeline.VolumeBundler.Imaging;

namespace ImagePipeline.VolumeBundler;

/// <summary>Parses the command line; every mistake is a <see cref="PipelineException"/> of kind Input naming the fix.</summary>
internal static class VolumeBundlerCommandLine
{
    public const string Usage = """
        Usage: imagepipeline-volume-bundler --cert USER_CERT.pem --ec2cert CERT_EC2.pem [options]
               imagepipeline-volume-bundler --output-device DEVICE [options]
        Images a mounted volume like ec2-bundle-vol and bundles it with public certificates only; the manifest is
        written and signed by the host that holds the private key. With --output-device, writes the image onto that
        device (an attached EBS volume, all of it) instead, and stops there: no bundle, no certificates.
        Runs as root. Reports JSON lines on stdout.
              --output-device DEVICE      write the image onto this block device instead of bundling it
          -c, --cert FILE                 the user's X.509 certificate (PEM)
              --ec2cert FILE              EC2's certificate for the target partition (cert-ec2.pem)
          -v, --volume PATH               the mount point to bundle (default /)
          -s, --size MB                   the image size in MB (default and maximum 10240)
          -e, --exclude DIR[,DIR]         leave out these directories (repeatable)
          -i, --include FILE[,FILE]       keep these files even if the security filter matches them (repeatable)
              --no-filter                 do not leave out keys, shell histories and editor backups
              --all                       also copy mounts of non-local file systems under the volume
              --fstab FILE                write FILE as the image's /etc/fstab
              --generate-fstab            write an /etc/fstab for the image
          -P, --partition none|mbr|gpt    the image's partition table (default none)
          -r, --arch x86_64|arm64|i386    the architecture (default this machine's)
          -p, --prefix NAME               the bundle's name (default image)
          -d, --destination DIR           where the image and parts go (default /mnt/imagepipeline-bundle)
          -B, --block-device-mapping M    virtual=device[,virtual=device], for example ami=sda1,root=/dev/sda1
              --kernel ID, --ramdisk ID   for paravirtual images
        """;

    /// <summary>Returns the options, or null when --help was asked for.</summary>
    public static VolumeBundlerOptions? Parse(IReadOnlyList<string> args)
    {
        string? userCertificate = null;
        string? ec2Certificate = null;
        string? architecture = null;
        var excludes = new List<string>();
        var includes = new List<string>();
        var mappings = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new VolumeBundlerOptions { Architecture = string.Empty, UserCertificatePath = string.Empty, Ec2CertificatePath = string.Empty };
        var bundleOptions = new List<string>();
        for (var index = 0; index < args.Count; index++)
        {
            var name = args[index];
            if (name is "-c" or "--cert" or "--ec2cert" or "-s" or "--size" or "-p" or "--prefix" or "-d" or "--destination" or "-B" or "--block-device-mapping" or "--kernel" or "--ramdisk")
            {
                bundleOptions.Add(name);
            }

            string Value()
            {
                if (index + 1 >= args.Count || args[index + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw PipelineException.Input($"The option {name} needs a value; see --help.");
                }

                return args[++index];
            }

            switch (name)
            {
                case "-h" or "--help":
                    return null;
                case "-c" or "--cert":
                    userCertificate = Value();
                    break;
                case "--ec2cert":
                    ec2Certificate = Value();
                    break;
                case "-k" or "--privatekey" or "--private-key":
                    throw PipelineException.Input("The volume bundler takes no private key: it encrypts the bundle key for the certificates, and the host signs the manifest; drop the private key option.");
                case "-v" or "--volume":
                    options = options with { Volume = Value() };
                    break;
                case "-s" or "--size":
                    options = options with { SizeMegabytes = ParseSize(Value()) };
                    break;
                case "-e" or "--exclude":
                    excludes.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "-i" or "--include":
                    includes.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--no-filter":
                    options = options with { NoFilter = true };
                    break;
                case "-a" or "--all":
                    options = options with { AllMounts = true };
                    break;
                case "--fstab":
                    options = options with { FstabPath = Value() };
                    break;
                case "--generate-fstab":
                    options = options with { GenerateFstab = true };
                    break;
                case "-P" or "--partition":
                    options = options with { Partition = ParsePartition(Value()) };
                    break;
                case "-r" or "--arch":
                    architecture = Value();
                    break;
                case "-p" or "--prefix":
                    options = options with { Prefix = Value() };
                    break;
                case "-d" or "--destination":
                    options = options with { Destination = Value() };
                    break;
                case "-B" or "--block-device-mapping":
                    AddMappings(Value(), mappings);
                    break;
                case "--kernel":
                    options = options with { KernelId = Value() };
                    break;
                case "--ramdisk":
                    options = options with { RamdiskId = Value() };
                    break;
                case "--output-device":
                    options = options with { OutputDevice = Value() };
                    break;
                default:
                    throw PipelineException.Input($"Unknown option '{name}'; see --help for the options.");
            }
        }

        if (options.FstabPath is not null && options.GenerateFstab)
        {
            throw PipelineException.Input("--fstab and --generate-fstab exclude each other; pass one of them.");
        }

        if (options.OutputDevice is not null)
        {
            return bundleOptions.Count > 0
                ? throw PipelineException.Input($"--output-device writes the image onto the device and makes no bundle, so {string.Join(", ", bundleOptions.Distinct())} do not apply; drop them.")
                : options with { Architecture = ResolveArchitecture(architecture), Excludes = excludes, Includes = includes };
        }

        return options with
        {
            UserCertificatePath = userCertificate ?? throw PipelineException.Input("No user certificate was given; pass --cert USER_CERT.pem."),
            Ec2CertificatePath = ec2Certificate ?? throw PipelineException.Input("No EC2 certificate was given; pass --ec2cert with the AMI tools' cert-ec2.pem for the target partition."),
            Architecture = ResolveArchitecture(architecture),
            Excludes = excludes,
            Includes = includes,
            BlockDeviceMappings = mappings,
        };
    }

    private static int ParseSize(string value)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || size < VolumeBundlerOptions.MinimumSizeMegabytes || size > VolumeBundlerOptions.MaximumSizeMegabytes)
        {
            throw PipelineException.Input($"--size '{value}' is not a size in MB from {VolumeBundlerOptions.MinimumSizeMegabytes} to {VolumeBundlerOptions.MaximumSizeMegabytes}; pass the image size in MB, for example --size 4096.");
        }

        return size;
    }

    private static PartitionScheme ParsePartition(string value) => value switch
    {
        "none" => PartitionScheme.None,
        "mbr" => PartitionScheme.Mbr,
        "gpt" => PartitionScheme.Gpt,
        _ => throw PipelineException.Input($"--partition '{value}' is not supported; pass none, mbr or gpt."),
    };

    private static void AddMappings(string value, Dictionary<string, string> mappings)
    {
        foreach (var pair in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw PipelineException.Input($"--block-device-mapping '{pair}' is not virtual=device; pass for example ami=sda1,root=/dev/sda1.");
            }

            mappings[parts[0]] = parts[1];
        }
    }

    private static string ResolveArchitecture(string? requested)
    {
        if (requested is not null)
        {
            return BundleRequestRules.Architectures.Contains(requested, StringComparer.Ordinal)
                ? requested
                : throw PipelineException.Input($"The architecture '{requested}' is not supported; pass --arch x86_64, arm64 or i386.");
        }

        return RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "i386",
            var other => throw PipelineException.Input($"This machine's architecture ({other}) is not supported by instance-store AMIs; bundle on an x86_64 or arm64 instance, or pass --arch x86_64, arm64 or i386."),
        };
    }
}
