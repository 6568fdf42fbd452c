using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Certificates;

namespace ImagePipeline.Strategies.InstanceStore.Ssh;

/// <summary>
/// What --bundler builtin puts in the staging folder on the instance (--x509-upload-path, 0700, left out of the image):
/// the two public certificates (and a --volume-fstab, <see cref="VolumeImageArguments.FstabPath"/>); the host's <see cref="IVolumeBundlerAgent"/> adds the program and
/// its files.
/// </summary>
public sealed record VolumeBundlerStaging(string Directory)
{
    public string CertificatePath => Combine(StagedCertificateFiles.CertificateFileName);

    public string Ec2CertificatePath => Combine("cert-ec2.pem");

    private string Combine(string name) => Directory.TrimEnd('/') + "/" + name;
}
