using ImagePipeline.Abstractions;
using ImagePipeline.Instances.Provisioning;
using ImagePipeline.Testing;

namespace ImagePipeline.Instances.Tests.Provisioning;

public sealed class ProvisionTargetTests
{
    [Fact]
    public void Nothing_to_run_is_not_applicable_with_the_reason()
    {
        var plan = ProvisionTarget.Plan(new TestParameterValues(), Platform.Linux);

        plan.IsApplicable.Should().BeFalse();
        plan.NotApplicableReason.Should().Be("nothing to run: no --provision-script or --provision-file");
    }

    [Fact]
    public void Linux_provisions_over_SSH_and_Windows_through_Run_Command()
    {
        var values = new TestParameterValues().With(ProvisionParameters.Scripts, ["setup.sh"]);

        ProvisionTarget.Plan(values, Platform.Linux).Steps.Should().Equal(typeof(ProvisionOverSsh));
        ProvisionTarget.Plan(values, Platform.Windows).Steps.Should().Equal(typeof(ProvisionWithRunCommand));
    }

    [Fact]
    public void Files_alone_are_something_to_run()
    {
        var values = new TestParameterValues().With(ProvisionParameters.Files, ["app.conf=/etc/app.conf"]);

        ProvisionTarget.Plan(values, Platform.Linux).IsApplicable.Should().BeTrue();
    }

    [Theory]
    [InlineData("app.conf=etc/app.conf")]
    [InlineData("app.conf")]
    [InlineData("=/etc/app.conf")]
    public void A_file_item_without_an_absolute_destination_is_refused(string item) =>
        ProvisionParameters.Files.ValidateValue(new[] { item }).Should().Contain(item).And.Contain("SRC=DEST");

    [Fact]
    public void Environment_problems_name_the_item_never_its_value()
    {
        var problem = ProvisionParameters.SecretEnvironment.ValidateValue(new[] { "no-equals-secret-value", "1BAD=another-secret", "GOOD=a-secret-value", "GOOD=a-secret-value" });

        problem.Should().Be("--provision-secret: item 1 is not NAME=VALUE; item 2: '1BAD' is not a variable name (letters, digits and _, not starting with a digit); GOOD given more than once.");
    }
}
