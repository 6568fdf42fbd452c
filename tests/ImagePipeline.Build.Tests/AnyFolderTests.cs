using ImagePipeline.Host;

namespace ImagePipeline.Build.Tests;

/// <summary>The host in a folder that is not this repository: another tool's .nuke/ files, --parameters-file, --version, Validate, focused help.</summary>
public sealed class AnyFolderTests : IDisposable
{
    private readonly HostSandbox _sandbox = new();

    [Fact]
    public async Task Keys_of_another_tool_in_the_shared_nuke_parameters_file_are_ignored()
    {
        WriteNukeParameters("""{ "Solution": "x.sln", "Configuration": "Release", "Host": "Console", "ami-name": "from-nuke-file" }""");

        var run = await _sandbox.RunAsync("RegisterImage", "--plan", "--output-json", "plan.json");

        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        File.ReadAllText(Path.Combine(_sandbox.Root, "plan.json")).Should().Contain("\"ami-name\": \"from-nuke-file\"");
    }

    [Fact]
    public async Task A_key_in_the_shared_nuke_parameters_file_one_typo_from_ours_is_an_error_naming_ours()
    {
        WriteNukeParameters("""{ "Solution": "x.sln", "buckt": "my-bundles" }""");

        var run = await _sandbox.RunAsync("RegisterImage", "--plan");

        run.ExitCode.Should().Be(ExitCode.UsageError, run.All);
        run.Error.Should().Contain("Unknown parameter \"buckt\"").And.Contain("did you mean \"bucket\"?").And.NotContain("solution");
    }

    [Fact]
    public async Task A_parameters_file_given_by_path_overrides_the_nuke_files_and_refuses_any_key_that_is_not_ours()
    {
        WriteNukeParameters("""{ "ami-name": "from-nuke-file" }""");
        var folder = Directory.CreateDirectory(Path.Combine(_sandbox.Root, "vars")).FullName;
        File.WriteAllText(Path.Combine(folder, "good.json"), """{ "ami-name": "from-given-file" }""");
        File.WriteAllText(Path.Combine(folder, "bad.json"), """{ "Solution": "x.sln" }""");

        var good = await _sandbox.RunAsync("RegisterImage", "--plan", "--parameters-file", "vars/good.json", "--output-json", "plan.json");
        var bad = await _sandbox.RunAsync("RegisterImage", "--plan", "--parameters-file", "vars/bad.json");
        var missing = await _sandbox.RunAsync("RegisterImage", "--plan", "--parameters-file", "vars/none.json");

        good.ExitCode.Should().Be(ExitCode.Success, good.All);
        File.ReadAllText(Path.Combine(_sandbox.Root, "plan.json")).Should().Contain("\"ami-name\": \"from-given-file\"");
        bad.ExitCode.Should().Be(ExitCode.UsageError, bad.All);
        bad.Error.Should().Contain("Unknown parameter \"solution\"").And.Contain("bad.json");
        missing.ExitCode.Should().Be(ExitCode.UsageError, missing.All);
        missing.Error.Should().Contain("--parameters-file vars/none.json").And.Contain("does not exist");
    }

    [Fact]
    public async Task A_parameters_file_or_manifest_that_is_a_device_is_a_usage_error_instead_of_an_exhausted_memory()
    {
        var parameters = await _sandbox.RunAsync("RegisterImage", "--plan", "--parameters-file", "/dev/zero");
        var manifest = await _sandbox.RunAsync("VerifyBundle", "--manifest", "/dev/zero", "--x509-key-path", "/dev/urandom");

        parameters.ExitCode.Should().Be(ExitCode.UsageError, parameters.All);
        parameters.Error.Should().Contain("/dev/zero is a character device; pass the path of a regular file.");
        manifest.ExitCode.Should().Be(ExitCode.UsageError, manifest.All);
        manifest.Error.Should().Contain("--manifest /dev/zero is a character device; pass the path of a regular file.");
    }

    [Fact]
    public async Task Version_prints_the_package_version_alone()
    {
        var run = await _sandbox.RunAsync("--version");

        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        run.Output.Trim().Should().MatchRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$");
    }

    [Fact]
    public async Task Help_for_a_chosen_backing_store_lists_only_its_strategies_and_their_parameters()
    {
        var all = await _sandbox.RunAsync("--help");
        var ebs = await _sandbox.RunAsync("--help", "--backing-store", "ebs");

        all.Output.Should().Contain("instance-store/linux").And.Contain("--image-file").And.Contain("Validate");
        ebs.ExitCode.Should().Be(ExitCode.Success, ebs.All);
        ebs.Output.Should().Contain("ebs/linux").And.Contain("ebs/windows").And.Contain("--instance-id");
        ebs.Output.Should().NotContain("instance-store/linux").And.NotContain("--image-file");
    }

    [Fact]
    public async Task Validate_reports_every_problem_with_exit_code_2_and_creates_nothing()
    {
        var run = await _sandbox.RunAsync("Validate", "--backing-store", "ebs", "--cloud", "local");

        run.ExitCode.Should().Be(ExitCode.UsageError, run.All);
        run.Error.Should().Contain("--instance-id is required").And.Contain("--ami-name is required");
        Directory.Exists(Path.Combine(_sandbox.Root, ".nuke", "temp", "runs")).Should().BeFalse("a validation starts no run");
    }

    [Fact]
    public async Task Validate_of_the_offline_demo_passes_and_registers_no_image()
    {
        var run = await _sandbox.RunAsync("Validate");

        run.ExitCode.Should().Be(ExitCode.Success, run.All);
        run.Output.Should().Contain("Valid: every parameter and cloud check of instance-store/linux up to RegisterImage passed; nothing was created.");
        run.Output.Should().NotContain("ami-");
    }

    public void Dispose() => _sandbox.Dispose();

    private void WriteNukeParameters(string json) => File.WriteAllText(Path.Combine(_sandbox.Root, ".nuke", "parameters.json"), json);
}
