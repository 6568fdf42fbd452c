namespace ImagePipeline.Strategies.InstanceStore.Ssh;

/// <summary>
/// What --bundler builtin puts in the staging folder on the instance (--x509-upload-path, 0700, left out of the image):
/// the two public certificates, the program, and the file it writes its process id to, so that it can be stopped.
/// </summary>
public sealed record VolumeBundlerStaging(string Directory)
{
    public string CertificatePath => Combine(StagedCertificateFiles.CertificateFileName);

    public string Ec2CertificatePath => Combine("cert-ec2.pem");

    public string ProgramPath => Combine(VolumeBundlerBinaries.FileName);

    public string ProcessIdPath => Combine("volume-bundler.pid");

    private string Combine(string name) => Directory.TrimEnd('/') + "/" + name;
}
