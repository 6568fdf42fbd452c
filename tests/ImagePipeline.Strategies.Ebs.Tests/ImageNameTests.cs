using ImagePipeline.Strategies.Ebs.Images;

namespace ImagePipeline.Strategies.Ebs.Tests;

public sealed class ImageNameTests
{
    [Fact]
    public async Task Placeholders_are_expanded_from_the_clock_and_git()
    {
        var template = new ImageNameTemplate(new FixedTimeProvider(new DateTimeOffset(2026, 11, 26, 21, 0, 0, TimeSpan.Zero)), new FixedGitCommit("abc1234"));

        var name = await template.ExpandAsync("web {timestamp} {date} {{git_sha}}", ".", CancellationToken.None);

        name.Should().Be("web 1795726800 2026-11-26 abc1234");
    }

    [Fact]
    public async Task Without_git_the_sha_is_unknown()
    {
        var template = new ImageNameTemplate(TimeProvider.System, new FixedGitCommit(null));

        (await template.ExpandAsync("web-{git_sha}", ".", CancellationToken.None)).Should().Be("web-unknown");
    }

    [Fact]
    public void A_temporary_name_stays_within_the_128_characters_aws_allows()
    {
        var name = TemporaryImageName.For(new string('n', 128), "20261126-210000-abcdef");

        name.Should().HaveLength(128).And.EndWith("(imagepipeline 20261126-210000-abcdef)");
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class FixedGitCommit(string? sha) : GitCommitReader
    {
        public override Task<string?> ReadShortShaAsync(string directory, CancellationToken cancellationToken) => Task.FromResult(sha);
    }
}
