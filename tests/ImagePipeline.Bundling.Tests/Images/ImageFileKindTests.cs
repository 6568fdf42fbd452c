using System.Net.Sockets;
using ImagePipeline.Abstractions;
using ImagePipeline.Testing.Images;

namespace ImagePipeline.Bundling.Tests.Images;

/// <summary>
/// Only regular files and block devices are images. Anything else is one preflight problem, found without opening it:
/// opening a FIFO would block until a writer comes (and ignore Ctrl+C), a character device would stream forever.
/// </summary>
public sealed class ImageFileKindTests : IDisposable
{
    private readonly BundleScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    public static TheoryData<string, string> NotImages => new()
    {
        { "fifo", "a FIFO (named pipe)" },
        { "character device", "a character device" },
        { "directory", "a directory" },
        { "socket", "a socket" },
        { "symlink to a fifo", "a FIFO (named pipe)" },
        { "symlink to a directory", "a directory" },
    };

    [Theory]
    [MemberData(nameof(NotImages))]
    public async Task Anything_but_a_regular_file_or_block_device_is_one_problem_found_without_opening_it(string kind, string described)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var path = Make(kind, socket);

        // A FIFO opened for reading blocks until a writer comes: a hang here fails the test instead of the run.
        var problems = await _scenario.Bundler.PreflightAsync(_scenario.Request() with { ImagePath = path }, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));
        var bundle = () => _scenario.Bundler.BundleAsync(_scenario.Request() with { ImagePath = path }, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        problems.Should().ContainSingle().Which.Should().Be($"The image '{path}' is {described}; pass a regular file or a block device holding the raw disk image.");
        (await bundle.Should().ThrowAsync<PipelineException>()).Which.Kind.Should().Be(PipelineErrorKind.Input);
        Directory.Exists(_scenario.BundleDirectory).Should().BeFalse("nothing is written for an image that is refused");
    }

    [Fact]
    public async Task A_dangling_symlink_is_one_problem_naming_its_missing_target()
    {
        var path = _scenario.File("dangling.img");
        File.CreateSymbolicLink(path, _scenario.File("gone.img"));

        var problems = await _scenario.Bundler.PreflightAsync(_scenario.Request() with { ImagePath = path }, CancellationToken.None);

        problems.Should().ContainSingle().Which.Should().EndWith("dangling.img' is a symbolic link to '" + _scenario.File("gone.img") + "', which does not exist; pass the path of the raw disk image to bundle.");
    }

    [Fact]
    public async Task A_symlink_to_a_regular_image_is_an_image()
    {
        TestImages.WriteRandom(_scenario.ImagePath, 4096);
        var path = _scenario.File("link.img");
        File.CreateSymbolicLink(path, _scenario.ImagePath);

        (await _scenario.Bundler.PreflightAsync(_scenario.Request() with { ImagePath = path }, CancellationToken.None)).Should().BeEmpty();
    }

    private string Make(string kind, Socket socket)
    {
        switch (kind)
        {
            case "fifo":
                ShellCommand.Run("mkfifo image.fifo", _scenario.Root);
                return _scenario.File("image.fifo");
            case "character device":
                return "/dev/null";
            case "directory":
                return Directory.CreateDirectory(_scenario.File("image.dir")).FullName;
            case "socket":
                var path = _scenario.File("image.sock");
                socket.Bind(new UnixDomainSocketEndPoint(path));
                return path;
            case "symlink to a fifo":
                ShellCommand.Run("mkfifo target.fifo", _scenario.Root);
                File.CreateSymbolicLink(_scenario.File("fifo-link.img"), _scenario.File("target.fifo"));
                return _scenario.File("fifo-link.img");
            case "symlink to a directory":
                Directory.CreateDirectory(_scenario.File("target.dir"));
                File.CreateSymbolicLink(_scenario.File("dir-link.img"), _scenario.File("target.dir"));
                return _scenario.File("dir-link.img");
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}
