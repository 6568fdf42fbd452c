using System.Diagnostics;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Abstractions.Tests;

/// <summary>A file the user names for the run to read is one clear input error when it is not a regular file of a sensible size.</summary>
public sealed class InputFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("imagepipeline-inputfile-").FullName;

    [Fact]
    public void A_regular_file_within_the_limit_has_no_problem_and_is_read()
    {
        var path = Path.Combine(_folder, "key.pem");
        File.WriteAllText(path, "-----BEGIN PRIVATE KEY-----");

        InputFile.Problem(path, "--ssh-key 'key.pem'").Should().BeNull();
        InputFile.ReadAllText(path, "--ssh-key 'key.pem'").Should().Be("-----BEGIN PRIVATE KEY-----");
    }

    [Fact]
    public void A_character_device_that_streams_forever_is_refused_without_reading_it()
    {
        var read = () => InputFile.ReadAllBytes("/dev/zero", "--ssh-key '/dev/zero'");

        read.Should().Throw<PipelineException>().Which.Message.Should().Be("--ssh-key '/dev/zero' is a character device; pass the path of a regular file.");
    }

    [Fact]
    public void A_named_pipe_is_refused_without_opening_it_which_would_wait_for_a_writer()
    {
        var fifo = Path.Combine(_folder, "pipe");
        Process.Start("mkfifo", [fifo])!.WaitForExit();

        var problem = InputFile.Problem(fifo, "--provision-script 'pipe'", long.MaxValue);

        problem.Should().Be("--provision-script 'pipe' is a named pipe; pass the path of a regular file.");
    }

    [Fact]
    public void A_folder_and_a_missing_file_are_named_as_such()
    {
        InputFile.Problem(_folder, "--x509-cert-path 'certs'").Should().Be("--x509-cert-path 'certs' is a folder; pass the path of a regular file.");
        InputFile.Problem(Path.Combine(_folder, "none.pem"), "--x509-cert-path 'none.pem'").Should().Be("--x509-cert-path 'none.pem' does not exist; pass the path of a regular file.");
    }

    [Fact]
    public void A_file_larger_than_the_limit_is_refused_with_the_limit()
    {
        var path = Path.Combine(_folder, "user-data.sh");
        File.WriteAllBytes(path, new byte[16 * 1024 + 1]);

        InputFile.Problem(path, "--user-data-file 'user-data.sh'", 16 * 1024).Should().Be("--user-data-file 'user-data.sh' is larger than 16 KiB; pass the path of a regular file of at most 16 KiB.");
        InputFile.Problem(path, "--user-data-file 'user-data.sh'", 16 * 1024 + 1).Should().BeNull();
    }

    [Fact]
    public void A_symbolic_link_is_judged_by_what_it_points_at()
    {
        var toDevice = Path.Combine(_folder, "zero-link");
        var toNothing = Path.Combine(_folder, "dangling");
        File.CreateSymbolicLink(toDevice, "/dev/zero");
        File.CreateSymbolicLink(toNothing, Path.Combine(_folder, "gone"));

        InputFile.Problem(toDevice, "--ssh-key 'zero-link'").Should().Be("--ssh-key 'zero-link' is a character device; pass the path of a regular file.");
        InputFile.Problem(toNothing, "--ssh-key 'dangling'").Should().Be("--ssh-key 'dangling' does not exist; pass the path of a regular file.");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
