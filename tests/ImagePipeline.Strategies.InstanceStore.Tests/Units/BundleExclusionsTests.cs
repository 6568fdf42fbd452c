using ImagePipeline.Strategies.InstanceStore.Ssh;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

public sealed class BundleExclusionsTests
{
    [Theory]
    [InlineData("/mnt/imagepipeline-x509", "ec2-bundle-vol -d /mnt/b", true)]
    [InlineData("/root/x509", "ec2-bundle-vol -e {x509_upload_path} -d /mnt/b", true)]
    [InlineData("/root/x509", "ec2-bundle-vol -d /mnt/b", false)]
    [InlineData("/mntx/x509", "ec2-bundle-vol -d /mnt/b", false)]
    public void A_key_folder_is_excluded_under_mnt_or_when_passed_with_e(string path, string command, bool excluded) =>
        BundleExclusions.IsExcluded(path, command).Should().Be(excluded);
}
