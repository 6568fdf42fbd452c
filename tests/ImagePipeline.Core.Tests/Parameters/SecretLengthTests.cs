using ImagePipeline.Abstractions;
using ImagePipeline.Core.Parameters;

namespace ImagePipeline.Core.Tests.Parameters;

/// <summary>A secret too short to mask safely is refused, from every source, without the error repeating it.</summary>
public sealed class SecretLengthTests
{
    private static readonly Parameter<string> Passphrase = new("key-passphrase", "A passphrase.") { IsSecret = true };
    private static readonly ParameterCatalog Catalog = new([Passphrase]);

    public static TheoryData<string, string> ShortSecrets => new()
    {
        { "a region fragment", "east" },
        { "a digit", "1" },
        { "part of every image id", "ami" },
        { "a word of the summary", "Run" },
        { "seven characters", "seven77" },
    };

    [Theory]
    [MemberData(nameof(ShortSecrets))]
    public void A_short_secret_on_the_command_line_is_refused_without_being_echoed(string @case, string secret)
    {
        var resolved = ParameterResolver.Resolve(Catalog, new ParameterInputs(CommandLine.Parse(["--key-passphrase", secret]), new Dictionary<string, string>(), null, null));

        resolved.Errors.Should().ContainSingle(@case).Which.Should().Contain("--key-passphrase").And.Contain("too short");
        resolved.Errors[0].Replace("key-passphrase", string.Empty, StringComparison.Ordinal).Replace("characters", string.Empty, StringComparison.Ordinal)
            .Should().NotContain($"'{secret}'", @case).And.NotContain($" {secret} ", @case);
        resolved.SecretValues.Should().BeEmpty(@case);
    }

    [Theory]
    [MemberData(nameof(ShortSecrets))]
    public void A_short_secret_from_the_environment_is_refused(string @case, string secret)
    {
        var environment = new Dictionary<string, string> { [Passphrase.EnvironmentVariable] = secret };

        var resolved = ParameterResolver.Resolve(Catalog, new ParameterInputs(CommandLine.Parse([]), environment, null, null));

        resolved.Errors.Should().ContainSingle(@case).Which.Should().Contain("too short");
    }

    [Fact]
    public void A_secret_of_eight_characters_is_accepted()
    {
        var resolved = ParameterResolver.Resolve(Catalog, new ParameterInputs(CommandLine.Parse(["--key-passphrase", "eight888"]), new Dictionary<string, string>(), null, null));

        resolved.Errors.Should().BeEmpty();
        resolved.SecretValues.Should().Equal("eight888");
    }

    [Fact]
    public void Of_a_secret_list_of_name_value_items_each_value_is_a_secret_and_no_name_is()
    {
        var values = new Parameter<string[]>("secret-env", "Secret values.") { IsSecret = true };

        var resolved = ParameterResolver.Resolve(new ParameterCatalog([values]), new ParameterInputs(CommandLine.Parse(["--secret-env", "API_TOKEN=token-value-1,PASSWORD=a=b=c=d=e"]), new Dictionary<string, string>(), null, null));

        resolved.Errors.Should().BeEmpty();
        resolved.SecretValues.Should().BeEquivalentTo("token-value-1", "a=b=c=d=e");
        resolved.DescribeSetValues().Should().NotContainKey("secret-env");
    }

    [Fact]
    public void A_short_value_in_a_secret_list_is_refused_by_its_name_without_being_echoed()
    {
        var values = new Parameter<string[]>("secret-env", "Secret values.") { IsSecret = true };

        var resolved = ParameterResolver.Resolve(new ParameterCatalog([values]), new ParameterInputs(CommandLine.Parse(["--secret-env", "VERBOSE=1,API_TOKEN=token-value-1"]), new Dictionary<string, string>(), null, null));

        resolved.Errors.Should().ContainSingle().Which.Should().Contain("--secret-env has a value shorter than 8 characters (VERBOSE)").And.NotContain("=1").And.NotContain("token-value-1");
        resolved.SecretValues.Should().BeEmpty();
    }
}
