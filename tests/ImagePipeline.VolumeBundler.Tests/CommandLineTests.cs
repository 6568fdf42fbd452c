using ImagePipeline.Abstractions;
using ImagePipeline.VolumeBundler.Imaging;

namespace ImagePipeline.VolumeBundler.Tests;

public sealed class CommandLineTests
{
    private static readonly string[] Certificates = ["--cert", "c.pem", "--ec2cert", "e.pem"];

    [Fact]
    public void The_defaults_are_ec2_bundle_vols()
    {
        var options = VolumeBundlerCommandLine.Parse(Certificates)!;

        options.Volume.Should().Be("/");
        options.SizeMegabytes.Should().Be(10240);
        options.Partition.Should().Be(PartitionScheme.None);
        options.Prefix.Should().Be("image");
    }

    [Fact]
    public void Repeated_and_comma_separated_lists_add_up()
    {
        var options = VolumeBundlerCommandLine.Parse([.. Certificates, "-e", "/a,/b", "--exclude", "/c", "-B", "ami=sda1,root=/dev/sda1", "-i", "/x"])!;

        options.Excludes.Should().Equal("/a", "/b", "/c");
        options.Includes.Should().Equal("/x");
        options.BlockDeviceMappings.Should().Contain("root", "/dev/sda1");
    }

    [Theory]
    [InlineData("--size", "10241", "--size")]
    [InlineData("--size", "abc", "--size")]
    [InlineData("--partition", "hybrid", "none, mbr or gpt")]
    [InlineData("-B", "nodevice", "virtual=device")]
    [InlineData("--unknown", "x", "Unknown option")]
    public void Mistakes_are_input_errors_that_name_the_fix(string option, string value, string named)
    {
        var parse = () => VolumeBundlerCommandLine.Parse([.. Certificates, option, value]);

        parse.Should().Throw<PipelineException>().Where(ex => ex.Kind == PipelineErrorKind.Input && ex.Message.Contains(named));
    }

    [Fact]
    public void Fstab_and_generate_fstab_exclude_each_other()
    {
        var parse = () => VolumeBundlerCommandLine.Parse([.. Certificates, "--fstab", "/f", "--generate-fstab"]);

        parse.Should().Throw<PipelineException>().WithMessage("*exclude each other*");
    }
}
