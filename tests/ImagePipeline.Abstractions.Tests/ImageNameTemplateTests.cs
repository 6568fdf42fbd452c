using ImagePipeline.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ImagePipeline.Abstractions.Tests;

public sealed class ImageNameTemplateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 21, 5, 9, TimeSpan.Zero);

    [Theory]
    [InlineData("web-{timestamp}", "web-20261126210509")]
    [InlineData("web-{date}-{git_sha}", "web-2026-11-26-abc1234")]
    [InlineData("web-{{timestamp}}", "web-20261126210509")]
    [InlineData("plain", "plain")]
    public void Placeholders_are_expanded_in_UTC(string template, string expected) =>
        ImageNameTemplate.Expand(template, Now, "abc1234").Should().Be(expected);

    [Fact]
    public async Task Placeholders_are_expanded_from_the_clock_and_the_commit_ci_names()
    {
        var template = new ImageNameTemplate(new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 21, 0, 0, TimeSpan.Zero)), Ci(("GITHUB_SHA", "ABC1234def5678")));

        var name = await template.ExpandAsync("web {timestamp} {date} {{git_sha}}", CancellationToken.None);

        name.Should().Be("web 20261126210000 2026-11-26 abc1234");
    }

    [Theory]
    [InlineData("CI_COMMIT_SHA")]
    [InlineData("GIT_COMMIT")]
    [InlineData("BUILD_SOURCEVERSION")]
    public async Task The_commit_comes_from_any_ci_that_names_it(string variable)
    {
        var template = new ImageNameTemplate(new FakeTimeProvider(Now), Ci((variable, "0123456789abcdef")));

        (await template.ExpandAsync("web-{git_sha}", CancellationToken.None)).Should().Be("web-0123456");
    }

    [Fact]
    public async Task A_ci_variable_that_is_not_a_commit_id_is_not_put_into_the_name()
    {
        using var outsideGit = new TemporaryFolder();
        var template = new ImageNameTemplate(new FakeTimeProvider(Now), new SourceRevision(name => name == "GITHUB_SHA" ? "$(reboot);xx" : null, outsideGit.Path));

        var expand = () => template.ExpandAsync("web-{git_sha}", CancellationToken.None);

        (await expand.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain("no commit was found");
    }

    [Fact]
    public async Task Without_a_commit_a_name_using_git_sha_is_refused_with_the_fix()
    {
        using var outsideGit = new TemporaryFolder();
        var template = new ImageNameTemplate(new FakeTimeProvider(Now), new SourceRevision(_ => null, outsideGit.Path));

        var expand = () => template.ExpandAsync("web-{git_sha}", CancellationToken.None);

        var refusal = (await expand.Should().ThrowAsync<PipelineException>()).Which;
        refusal.Kind.Should().Be(PipelineErrorKind.Input);
        refusal.Message.Should().Contain("uses {git_sha}, but no commit was found").And.Contain("GITHUB_SHA").And.Contain("drop {git_sha}");
        (await template.ExpandAsync("web-{timestamp}", CancellationToken.None)).Should().Be("web-20261126210509", "only {git_sha} needs a commit");
    }

    [Fact]
    public void The_length_rule_counts_each_placeholder_at_its_expanded_length()
    {
        // 114 characters + a 14-digit timestamp = 128: allowed; one more is not.
        ImageNameRules.Validate(new string('a', 114) + "{timestamp}").Should().BeNull();
        ImageNameRules.Validate(new string('a', 115) + "{timestamp}").Should().Contain("129");
    }

    private static SourceRevision Ci(params (string Name, string Value)[] variables) =>
        new(name => variables.FirstOrDefault(variable => variable.Name == name).Value, Path.GetTempPath());

    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("imagepipeline-nogit-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
