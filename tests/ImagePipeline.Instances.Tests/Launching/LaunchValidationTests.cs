using ImagePipeline.Abstractions;
using ImagePipeline.Core.Sessions;
using ImagePipeline.Testing;

namespace ImagePipeline.Instances.Tests.Launching;

/// <summary>Bad input for a launch is refused in validation (exit 2), before anything is launched.</summary>
public sealed class LaunchValidationTests(PipelineCloudFixture cloud) : IClassFixture<PipelineCloudFixture>
{
    [Fact]
    public async Task A_source_filter_matching_nothing_is_refused_and_nothing_is_launched()
    {
        await using var bake = new LaunchBake(cloud).With("source-ami-filter", $"name=no-such-image-{Guid.NewGuid():N}-*,owner=amazon");
        var before = await bake.InstancesAsync();

        var run = () => bake.RunAsync();

        var errors = (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors;
        errors.Should().ContainSingle().Which.Should().Contain("matches no available image in us-east-1");
        (await bake.InstancesAsync()).Should().HaveSameCount(before, "nothing is launched when validation fails");
    }

    [Fact]
    public async Task A_source_filter_matching_several_images_is_refused_listing_them_newest_first()
    {
        var prefix = $"several-{Guid.NewGuid():N}";
        var older = await LaunchBake.CreateBaseImageAsync(cloud, $"{prefix}-1");
        cloud.Clock.Advance(TimeSpan.FromMinutes(1));
        var newer = await LaunchBake.CreateBaseImageAsync(cloud, $"{prefix}-2");
        cloud.Clock.Advance(TimeSpan.FromMinutes(1));
        await using var bake = new LaunchBake(cloud).With("source-ami-filter", $"name={prefix}-*,owner=self");
        var before = await bake.InstancesAsync();

        var run = () => bake.RunAsync();

        var error = (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors.Should().ContainSingle().Subject;
        error.Should().StartWith("--source-ami-filter matches 2 images in us-east-1: ")
            .And.Contain($"{newer} ({prefix}-2, created ").And.Contain($"{older} ({prefix}-1, created ")
            .And.EndWith("narrow the filter, give one with --source-ami, or add --source-ami-most-recent to take the newest.");
        error.IndexOf(newer, StringComparison.Ordinal).Should().BeLessThan(error.IndexOf(older, StringComparison.Ordinal), "the newest is listed first");
        (await bake.InstancesAsync()).Should().HaveSameCount(before);
    }

    [Fact]
    public async Task A_source_image_that_does_not_exist_is_refused_naming_it()
    {
        await using var bake = new LaunchBake(cloud).With("source-ami", "ami-0fedcba9876543210");

        var run = () => bake.RunAsync();

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors.Should()
            .Contain("--source-ami ami-0fedcba9876543210: no such image in us-east-1, or you may not launch it; check the id and the region.");
    }

    [Fact]
    public async Task A_missing_user_data_file_is_refused_naming_it()
    {
        await using var bake = new LaunchBake(cloud).With("source-ami", "ami-0000000000000b001").With("user-data-file", "/no/such/user-data.sh");

        var run = () => bake.RunAsync();

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors.Should().Contain("--user-data-file /no/such/user-data.sh does not exist; pass the path of a regular file.");
    }

    [Theory]
    [InlineData("user-data-file", "/dev/zero", "--user-data-file /dev/zero is a character device")]
    [InlineData("provision-script", "/dev/zero", "--provision-script '/dev/zero' is a character device")]
    [InlineData("provision-script", "FIFO", "--provision-script 'FIFO' is a named pipe")]
    [InlineData("provision-file", "FIFO=/etc/app.conf", "--provision-file source 'FIFO' is a named pipe")]
    [InlineData("provision-file", "FOLDER=/etc/app", "--provision-file source 'FOLDER' holds 'FOLDER/pipe', which is not a regular file")]
    public async Task An_input_file_that_is_a_device_or_a_pipe_is_refused_before_launch_instead_of_read_forever(string parameter, string value, string error)
    {
        var folder = cloud.Subdirectory($"inputs-{Guid.NewGuid():N}");
        var fifo = Path.Combine(folder, "fifo");
        var withPipe = Directory.CreateDirectory(Path.Combine(folder, "app")).FullName;
        Mkfifo(fifo);
        Mkfifo(Path.Combine(withPipe, "pipe"));
        string Expand(string text) => text.Replace("FIFO", fifo, StringComparison.Ordinal).Replace("FOLDER", withPipe, StringComparison.Ordinal);
        await using var bake = new LaunchBake(cloud).With("source-ami", "ami-0000000000000b001").With("ssh-source-cidr", "127.0.0.1/32").With(parameter, Expand(value));
        var before = await bake.InstancesAsync();

        var run = () => bake.RunAsync().WaitAsync(TimeSpan.FromMinutes(1));

        var expected = Expand(error);
        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors.Should().ContainSingle(message => message.StartsWith(expected, StringComparison.Ordinal));
        (await bake.InstancesAsync()).Should().HaveSameCount(before);
    }

    private static void Mkfifo(string path) => System.Diagnostics.Process.Start("mkfifo", [path])!.WaitForExit();
}
