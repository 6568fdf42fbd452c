using ImagePipeline.Abstractions;

namespace ImagePipeline.Abstractions.Tests;

public sealed class ParameterRulesTests
{
    [Theory]
    [InlineData("web-server (2026) [v1] ./@_'", true)]
    [InlineData("web-{timestamp}", true)]
    [InlineData("ab", false)]
    [InlineData("web#1", false)]
    [InlineData("naïve", false)]
    public void Image_names_follow_the_rules_aws_enforces(string name, bool valid)
    {
        (ImageNameRules.Validate(name) is null).Should().Be(valid);
    }

    [Fact]
    public void A_name_longer_than_128_characters_is_refused_with_its_length()
    {
        ImageNameRules.Validate(new string('a', 129)).Should().Contain("3 to 128 characters").And.Contain("129");
    }

    [Theory]
    [InlineData("InstanceStore", "instance-store")]
    [InlineData("RegisterImage", "register-image")]
    [InlineData("X509CertPath", "x509-cert-path")]
    public void Enum_members_and_names_are_written_in_kebab_case(string pascal, string kebab)
    {
        KebabCase.From(pascal).Should().Be(kebab);
    }

    [Fact]
    public void Tags_are_key_value_pairs()
    {
        TagList.Parse(["team=web", "env = prod"]).Should().Equal(new Dictionary<string, string> { ["team"] = "web", ["env"] = "prod" });
        TagList.Validate(["team"]).Should().Contain("key=value");
    }

    [Fact]
    public void A_parameter_without_a_declared_default_is_unset_even_for_value_types()
    {
        var parameter = new Parameter<BackingStore>("store", "A store.");

        parameter.HasDefault.Should().BeFalse();
        parameter.DefaultText.Should().BeNull();
        new Parameter<int>("count", "A count.") { Default = 0 }.HasDefault.Should().BeTrue();
    }
}
