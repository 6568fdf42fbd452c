using ImagePipeline.Strategies.InstanceStore.Ssh;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

public sealed class CommandTemplateTests
{
    [Fact]
    public void Values_go_in_as_single_shell_words_even_with_quotes_and_spaces()
    {
        var command = CommandTemplate.Fill("bundle -d {destination} -p {prefix}", new Dictionary<string, string>
        {
            ["destination"] = "/mnt/my bundle",
            ["prefix"] = "it's; rm -rf /",
        });

        command.Should().Be("bundle -d '/mnt/my bundle' -p 'it'\\''s; rm -rf /'");
    }

    [Fact]
    public void Unknown_placeholders_are_named() =>
        CommandTemplate.UnknownPlaceholders("x {prefix} {secret} {bucket}", ["prefix", "bucket"]).Should().Equal("secret");
}
