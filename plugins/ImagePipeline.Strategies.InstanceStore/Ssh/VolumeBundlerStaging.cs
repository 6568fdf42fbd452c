using ImagePipeline.Strategies.InstanceStore.Certificates;

namespace ImagePipeline.Strategies.InstanceStore.Ssh;

/// <summary>
/// What --bundler builtin puts in the staging folder on the instance (--x509-upload-path, 0700, left out of the image):
/// the two public certificates, a --volume-fstab, the program, the file it writes its process id to (so that it can be
/// stopped), its report, its standard error and its exit status.
/// </summary>
public sealed record VolumeBundlerStaging(string Directory)
{
    public string CertificatePath => Combine(StagedCertificateFiles.CertificateFileName);

    public string Ec2CertificatePath => Combine("cert-ec2.pem");

    /// <summary>Where a --volume-fstab from this machine is copied for the program to read.</summary>
    public string FstabPath => Combine("fstab");

    public string ProgramPath => Combine(VolumeBundlerBinaries.FileName);

    public string ProcessIdPath => Combine("volume-bundler.pid");

    /// <summary>The program's report (its standard output), which the host follows; it outlives a host that was killed.</summary>
    public string ReportPath => Combine("volume-bundler.jsonl");

    public string ErrorPath => Combine("volume-bundler.err");

    /// <summary>The program's exit status, written when it ends.</summary>
    public string ExitStatusPath => Combine("volume-bundler.status");

    /// <summary>Everything the program and its launch leave in the folder.</summary>
    public IEnumerable<string> ProgramFiles => [ProgramPath, ProcessIdPath, ReportPath, ErrorPath, ExitStatusPath];

    private string Combine(string name) => Directory.TrimEnd('/') + "/" + name;
}
