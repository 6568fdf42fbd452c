using ImagePipeline.VolumeBundler.Copying;

namespace ImagePipeline.VolumeBundler.Tests;

public sealed class SecurityFilterTests
{
    [Theory]
    [InlineData("/etc/ssl/server.pem")]
    [InlineData("/root/.ssh/id_rsa.pub")]
    [InlineData("/home/u/.ssh/authorized_keys")]
    [InlineData("/root/.bash_history")]
    [InlineData("/home/u/notes.txt~")]
    [InlineData("/home/u/.notes.swp")]
    [InlineData("/home/u/#draft#")]
    [InlineData("/opt/app/keystore.jks")]
    public void Keys_histories_and_editor_files_are_left_out_as_ec2_bundle_vol_leaves_them_out(string path)
    {
        new SecurityFilter(enabled: true, new HashSet<string>()).Excludes(path, path).Should().BeTrue();
    }

    [Theory]
    [InlineData("/etc/ssh/sshd_config")]
    [InlineData("/home/u/.ssh/known_hosts")]
    [InlineData("/authorized_keys")]
    [InlineData("/usr/share/doc/pem.txt")]
    public void Ordinary_files_are_kept(string path)
    {
        new SecurityFilter(enabled: true, new HashSet<string>()).Excludes(path, path).Should().BeFalse();
    }

    [Fact]
    public void An_included_file_and_no_filter_keep_what_the_filter_would_leave_out()
    {
        new SecurityFilter(enabled: true, new HashSet<string> { "/vol/etc/a.pem" }).Excludes("/etc/a.pem", "/vol/etc/a.pem").Should().BeFalse();
        new SecurityFilter(enabled: false, new HashSet<string>()).Excludes("/etc/a.pem", "/vol/etc/a.pem").Should().BeFalse();
    }
}
