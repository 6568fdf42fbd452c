using ImagePipeline.Abstractions;
using ImagePipeline.Core.Parameters;

namespace ImagePipeline.Core.Tests.Parameters;

public sealed class ParameterResolverTests : IDisposable
{
    private static readonly Parameter<string> Bucket = new("bucket", "The bucket.");
    private static readonly Parameter<int> Concurrency = new("upload-concurrency", "Parallel uploads.", value => value < 1 ? "--upload-concurrency must be at least 1." : null) { Default = 4 };
    private static readonly Parameter<string> Passphrase = new("key-passphrase", "A passphrase.") { IsSecret = true };
    private static readonly Parameter<string[]> Tags = new("tags", "Tags.") { Default = [] };
    private static readonly Parameter<Platform> PlatformParameter = CommonParameters.Platform;
    private static readonly Parameter<string> Region = CommonParameters.Region;

    private static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    private readonly string _folder = Directory.CreateTempSubdirectory("imagepipeline-params-").FullName;
    private readonly ParameterCatalog _catalog = new([Bucket, Concurrency, Passphrase, Tags, PlatformParameter, Region]);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_command_line_beats_the_environment_which_beats_the_profile_file_which_beats_the_parameters_file_which_beats_the_default()
    {
        var baseFile = WriteFile("parameters.json", """{ "bucket": "from-file", "upload-concurrency": 2, "tags": ["a=1"], "platform": "windows" }""");
        var profileFile = WriteFile("parameters.ci.json", """{ "bucket": "from-profile", "upload-concurrency": 3 }""");
        var environment = new Dictionary<string, string> { ["IMAGEPIPELINE_BUCKET"] = "from-env", ["IMAGEPIPELINE_UPLOAD_CONCURRENCY"] = "5" };

        var onlyDefaults = Resolve([], NoEnvironment, null, null);
        var withFile = Resolve([], NoEnvironment, baseFile, null);
        var withProfile = Resolve([], NoEnvironment, baseFile, profileFile);
        var withEnvironment = Resolve([], environment, baseFile, profileFile);
        var withCommandLine = Resolve(["--bucket", "from-cli"], environment, baseFile, profileFile);

        onlyDefaults.Get(Concurrency).Should().Be(4);
        onlyDefaults.GetOrDefault(Bucket).Should().BeNull();
        withFile.Get(Bucket).Should().Be("from-file");
        withFile.Get(PlatformParameter).Should().Be(Platform.Windows);
        withFile.Get(Tags).Should().Equal("a=1");
        withProfile.Get(Bucket).Should().Be("from-profile");
        withProfile.Get(Concurrency).Should().Be(3);
        withEnvironment.Get(Bucket).Should().Be("from-env");
        withEnvironment.Get(Concurrency).Should().Be(5);
        withCommandLine.Get(Bucket).Should().Be("from-cli");
        withCommandLine.Get(Concurrency).Should().Be(5);
        withCommandLine.SourceOf(Bucket).Should().Be(ParameterSource.CommandLine);
    }

    [Fact]
    public void Fallback_environment_variables_are_read_when_ours_is_not_set()
    {
        var resolved = Resolve([], new Dictionary<string, string> { ["AWS_REGION"] = "eu-west-1" }, null, null);

        resolved.Get(Region).Should().Be("eu-west-1");
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var resolved = Resolve(["--upload-concurrency", "0", "--platform", "beos", "--buckte", "x", "--tags"], new Dictionary<string, string> { ["IMAGEPIPELINE_UPLOAD_CONCURRENCY"] = "many" }, null, null);

        resolved.Errors.Should().HaveCount(3);
        resolved.Errors.Should().Contain("--upload-concurrency must be at least 1.");
        resolved.Errors.Should().Contain(error => error.Contains("'beos' is not one of linux, windows", StringComparison.Ordinal));
        resolved.Errors.Should().Contain("Unknown parameter --buckte; did you mean --bucket?");
    }

    [Fact]
    public void A_bad_secret_value_is_not_repeated_in_the_error()
    {
        var secretInt = new Parameter<int>("secret-number", "A secret number.") { IsSecret = true };
        var resolved = ParameterResolver.Resolve(new ParameterCatalog([secretInt]), Inputs(["--secret-number", "hunter2"], NoEnvironment, null, null));

        resolved.Errors.Should().ContainSingle().Which.Should().NotContain("hunter2");
    }

    [Fact]
    public void Secret_values_are_known_so_outputs_can_be_masked()
    {
        var resolved = Resolve(["--key-passphrase", "correct horse"], NoEnvironment, null, null);

        resolved.SecretValues.Should().Equal("correct horse");
        resolved.DescribeSetValues().Should().NotContainKey("key-passphrase");
    }

    [Fact]
    public void A_malformed_parameters_file_is_an_input_error_naming_the_file_and_line()
    {
        var path = Path.Combine(_folder, "broken.json");
        File.WriteAllText(path, "{\n  \"bucket\": \"x\",\n  \"tags\": [\n}");

        var load = () => ParametersFile.Load(path);

        load.Should().Throw<PipelineException>().Which.Message.Should().Contain(path).And.Contain("line 4");
    }

    [Fact]
    public void An_unknown_name_in_the_parameters_file_is_reported_with_the_closest_match()
    {
        var file = WriteFile("parameters.json", """{ "$schema": "./build.schema.json", "Bucket": "ok", "upload-concurency": 3 }""");

        var resolved = Resolve([], NoEnvironment, file, null);

        resolved.Get(Bucket).Should().Be("ok", "PascalCase keys as Nuke writes them are read too");
        resolved.Errors.Should().ContainSingle().Which.Should().Contain("\"upload-concurency\"").And.Contain("did you mean \"upload-concurrency\"");
    }

    [Fact]
    public void List_parameters_take_repeated_and_comma_separated_values()
    {
        var resolved = Resolve(["--tags", "a=1,b=2", "--tags", "c=3"], NoEnvironment, null, null);

        resolved.Get(Tags).Should().Equal("a=1", "b=2", "c=3");
    }

    [Fact]
    public void A_shared_parameters_file_ignores_other_tools_keys_but_not_a_near_typo_of_ours()
    {
        var shared = WriteFile("parameters.json", """{ "Solution": "x.sln", "Host": "Console", "Root": ".", "buckt": "typo" }""");

        var resolved = Resolve([], NoEnvironment, shared, null);

        resolved.Errors.Should().ContainSingle().Which.Should().StartWith("Unknown parameter \"buckt\"").And.EndWith("did you mean \"bucket\"?");
    }

    [Fact]
    public void A_given_parameters_file_beats_the_profile_file_and_refuses_every_key_that_is_not_ours()
    {
        var profileFile = WriteFile("parameters.ci.json", """{ "bucket": "from-profile" }""");
        var givenPath = Path.Combine(_folder, "given.json");
        File.WriteAllText(givenPath, """{ "bucket": "from-given", "Solution": "x.sln" }""");
        var given = ParametersFile.Load(givenPath, isShared: false);

        var resolved = ParameterResolver.Resolve(_catalog, Inputs([], NoEnvironment, null, profileFile) with { GivenFile = given });

        resolved.Get(Bucket).Should().Be("from-given");
        resolved.SourceOf(Bucket).Should().Be(ParameterSource.GivenFile);
        resolved.Errors.Should().ContainSingle().Which.Should().Contain("Unknown parameter \"solution\"").And.Contain("given.json");
    }

    private ResolvedParameters Resolve(string[] args, IReadOnlyDictionary<string, string> environment, ParametersFile? baseFile, ParametersFile? profileFile) =>
        ParameterResolver.Resolve(_catalog, Inputs(args, environment, baseFile, profileFile));

    private static ParameterInputs Inputs(string[] args, IReadOnlyDictionary<string, string> environment, ParametersFile? baseFile, ParametersFile? profileFile) =>
        new(CommandLine.Parse(args), environment, baseFile, profileFile);

    private ParametersFile WriteFile(string name, string json)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, json);
        return ParametersFile.Load(path);
    }
}
