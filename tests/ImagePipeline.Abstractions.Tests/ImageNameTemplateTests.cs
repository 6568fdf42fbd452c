using ImagePipeline.Strategies.InstanceStore.Images;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

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
}
