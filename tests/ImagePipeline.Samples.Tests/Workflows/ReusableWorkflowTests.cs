using System.Text.Json.Nodes;
using ImagePipeline.Samples.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace ImagePipeline.Samples.Tests.Workflows;

/// <summary>
/// The reusable bake workflow and this repository's caller of it: the jobs' shape read from the YAML, and the jobs'
/// own scripts run with bash as the runner would (the parts that decide regions, buckets, key files and outputs).
/// </summary>
public sealed class ReusableWorkflowTests : IDisposable
{
    private const string ActionFolder = "./.imagepipeline-action";

    private static readonly YamlMappingNode Reusable = YamlDocument.Load(RepositoryLayout.PathOf(".github/workflows/bake-image-reusable.yml"));
    private static readonly YamlMappingNode Caller = YamlDocument.Load(RepositoryLayout.PathOf(".github/workflows/bake-image.yml"));
    private static readonly CompositeAction Action = new(RepositoryLayout.PathOf("action.yml"));

    private readonly TemporaryFolder _folder = new("reusable");

    private static YamlMappingNode Job(string name) => Reusable.Map("jobs").Map(name);

    [Fact]
    public async Task Ebs_captures_once_in_the_first_region_and_copies_the_image_to_the_others()
    {
        var job = Job("ebs");
        job.Has("strategy").Should().BeFalse("an EBS image is captured once, from one instance");
        var bake = job.StepUsing(ActionFolder);
        bake.Scalars("with").Should().Contain(new Dictionary<string, string>
        {
            ["backing-store"] = "ebs",
            ["region"] = "${{ steps.regions.outputs.home }}",
            ["copy-to-regions"] = "${{ steps.regions.outputs.copies }}",
            ["instance-id"] = "${{ inputs.instance-id }}",
        });
        job.StepUsing("aws-actions/configure-aws-credentials@v4").Scalars("with")["aws-region"].Should().Be("${{ steps.regions.outputs.home }}");

        var several = await RunAsync(job.Step("Split the regions"), new() { ["inputs.regions"] = """["eu-west-1", "us-west-2", "ap-southeast-2"]""" });
        var one = await RunAsync(job.Step("Split the regions"), new() { ["inputs.regions"] = """["eu-west-1"]""" });
        var none = await RunAsync(job.Step("Split the regions"), new() { ["inputs.regions"] = "[]" });

        several.ExitCode.Should().Be(0, several.Output);
        several.Outputs.Should().Equal(new Dictionary<string, string> { ["home"] = "eu-west-1", ["copies"] = "us-west-2,ap-southeast-2" });
        one.Outputs.Should().Equal(new Dictionary<string, string> { ["home"] = "eu-west-1", ["copies"] = "" }, "no copies: the action then passes no --copy-to-regions");
        none.ExitCode.Should().Be(2, "an empty region list is refused before anything is baked");
        none.Output.Should().Contain("::error title=ImagePipeline::regions must be a JSON list of region names");
    }

    [Fact]
    public async Task Instance_store_bundles_per_region_into_the_bucket_its_template_names_with_keys_only_the_owner_reads()
    {
        var job = Job("instance-store");
        job.Map("strategy").Map("matrix").Keys().Should().Equal("region");
        job.Map("strategy").Map("matrix").Text("region").Should().Be("${{ fromJSON(inputs.regions) }}");
        job.StepUsing("actions/download-artifact@v4").Scalars("with")["name"].Should().Be("${{ inputs.image-artifact }}");
        var bake = job.StepUsing(ActionFolder).Scalars("with");
        bake["region"].Should().Be("${{ matrix.region }}");
        bake["bucket"].Should().Be("${{ steps.files.outputs.bucket }}");
        bake["x509-key-path"].Should().Be("${{ steps.files.outputs.x509-key-path }}");
        bake["x509-key-passphrase"].Should().Be("${{ secrets.x509-key-passphrase }}");

        var files = await RunAsync(job.Step("Write keys and name the bucket"), new()
        {
            ["matrix.region"] = "eu-west-1",
            ["inputs.bucket-template"] = "my-bundles-{region}",
            ["inputs.image-artifact"] = "disk-image",
            ["inputs.image-file"] = "out/disk.img",
            ["secrets.x509-cert"] = "-----BEGIN CERTIFICATE-----\ncert\n-----END CERTIFICATE-----",
            ["secrets.x509-key"] = "-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----",
            ["secrets.ec2-cert"] = "ec2 cert",
        });

        files.ExitCode.Should().Be(0, files.Output);
        files.Outputs["bucket"].Should().Be("my-bundles-eu-west-1");
        files.Outputs["image-file"].Should().Be(Path.Combine(_folder.Path, "temp", "imagepipeline-image", "out", "disk.img"));
        files.Outputs.Should().NotContainKey("ssh-key-path", "no ssh-key secret was given");
        foreach (var output in new[] { "x509-cert-path", "x509-key-path", "ec2-cert-path" })
        {
            var path = files.Outputs[output];
            path.Should().StartWith(Path.Combine(_folder.Path, "temp") + "/");
            File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, $"{output} holds key material");
        }

        File.ReadAllText(files.Outputs["x509-key-path"]).Should().Be("-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n");
        files.Output.Should().NotContain("PRIVATE KEY");
    }

    [Fact]
    public async Task The_regions_results_are_merged_into_one_map_of_image_ids_and_a_failed_region_is_left_out()
    {
        var job = Job("instance-store");
        foreach (var (region, imageId) in new[] { ("eu-west-1", "ami-0aaa"), ("us-west-2", "ami-0bbb"), ("ap-south-1", "") })
        {
            var recorded = await RunAsync(job.Step("Record the region's result"), new()
            {
                ["matrix.region"] = region,
                ["steps.bake.outputs.image-id"] = imageId,
                ["steps.bake.outputs.manifest-location"] = imageId.Length > 0 ? $"bundles-{region}/image.manifest.xml" : "",
            });
            recorded.ExitCode.Should().Be(0, recorded.Output);
        }

        // upload-artifact per region, then download-artifact with merge-multiple: one folder of every region's files.
        var results = Directory.CreateDirectory(Path.Combine(_folder.Path, "temp", "imagepipeline-results")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(_folder.Path, "temp", "imagepipeline-result")))
        {
            File.Copy(file, Path.Combine(results, Path.GetFileName(file)));
        }

        var merged = await RunAsync(Job("collect").Step("Merge the regions' results"), new() { ["inputs.regions"] = """["eu-west-1","us-west-2","ap-south-1"]""" });

        merged.ExitCode.Should().Be(0, merged.Output);
        merged.Outputs["image-id"].Should().Be("ami-0aaa", "the image in the first region");
        JsonNode.Parse(merged.Outputs["image-ids"])!.ToJsonString().Should().Be("""{"eu-west-1":"ami-0aaa","us-west-2":"ami-0bbb"}""");
        JsonNode.Parse(merged.Outputs["manifest-locations"])!["us-west-2"]!.GetValue<string>().Should().Be("bundles-us-west-2/image.manifest.xml");
    }

    [Fact]
    public async Task When_no_region_baked_the_merged_maps_are_empty()
    {
        var merged = await RunAsync(Job("collect").Step("Merge the regions' results"), new() { ["inputs.regions"] = """["eu-west-1"]""" });

        merged.ExitCode.Should().Be(0, merged.Output);
        merged.Outputs.Should().Equal(new Dictionary<string, string> { ["image-id"] = "", ["image-ids"] = "{}", ["manifest-locations"] = "{}" });
    }

    [Fact]
    public void The_workflow_outputs_come_from_the_ebs_job_or_the_collected_regions()
    {
        var outputs = Reusable.Map("on").Map("workflow_call").Map("outputs");

        outputs.Map("image-ids").Text("value").Should().Be("${{ jobs.ebs.outputs.image-ids || jobs.collect.outputs.image-ids }}");
        Job("ebs").Scalars("outputs")["image-ids"].Should().Be("${{ steps.bake.outputs.image-ids }}");
        Job("collect").Text("needs").Should().Be("instance-store");
        Job("collect").Text("if").Should().Contain("always()", "the images made before a region failed are still reported");
    }

    [Fact]
    public void Every_input_the_jobs_give_the_action_is_one_it_declares_and_every_job_runs_it_from_its_own_checkout()
    {
        foreach (var jobName in new[] { "ebs", "instance-store" })
        {
            var job = Job(jobName);
            job.StepUsing(ActionFolder).Scalars("with").Keys.Except(Action.InputNames).Should().BeEmpty($"job {jobName} gives the action only inputs it has");
            job.StepUsing(ActionFolder).Scalars("with")["cloud"].Should().Be("aws");
            job.StepUsing("actions/checkout@v4").Scalars("with").Should().Equal(new Dictionary<string, string>
            {
                ["repository"] = "${{ inputs.action-repository }}",
                ["ref"] = "${{ inputs.action-ref }}",
                ["path"] = ".imagepipeline-action",
            });
            job.StepUsing("aws-actions/configure-aws-credentials@v4").Scalars("with")["role-to-assume"].Should().Be("${{ inputs.role-arn }}");
        }
    }

    [Fact]
    public void The_repository_workflow_calls_the_reusable_one_with_the_action_of_its_own_commit()
    {
        var call = Caller.Map("jobs").Map("bake");
        var declared = Reusable.Map("on").Map("workflow_call");

        call.Text("uses").Should().Be("./.github/workflows/bake-image-reusable.yml");
        call.Scalars("with")["action-repository"].Should().Be("${{ github.repository }}");
        call.Scalars("with")["action-ref"].Should().Be("${{ github.sha }}");
        call.Scalars("with").Keys.Except(declared.Map("inputs").Keys()).Should().BeEmpty("the caller passes only inputs the reusable workflow declares");
        call.Scalars("secrets").Keys.Except(declared.Map("secrets").Keys()).Should().BeEmpty();
        declared.Map("inputs").Keys().Where(name => declared.Map("inputs").Map(name).Text("required") == "true")
            .Except(call.Scalars("with").Keys).Should().BeEmpty("the caller gives every required input");
        Caller.Scalars("permissions")["id-token"].Should().Be("write", "the called jobs can have no more than the caller grants");
    }

    [Fact]
    public void Credentials_come_only_from_oidc()
    {
        Reusable.Scalars("permissions").Should().Equal(new Dictionary<string, string> { ["id-token"] = "write", ["contents"] = "read" });
        foreach (var file in new[] { ".github/workflows/bake-image-reusable.yml", ".github/workflows/bake-image.yml", "action.yml" })
        {
            File.ReadAllText(RepositoryLayout.PathOf(file)).Should().NotContain("aws-access-key-id").And.NotContain("AWS_SECRET_ACCESS_KEY");
        }
    }

    private async Task<ShellStepRun> RunAsync(YamlMappingNode step, Dictionary<string, string> contexts)
    {
        var runner = new SimulatedRunner(_folder.Path, Directory.CreateDirectory(Path.Combine(_folder.Path, "temp")).FullName);
        return await runner.RunAsync(step, new WorkflowExpressions(contexts, new HashSet<string>(StringComparer.Ordinal)));
    }

    public void Dispose() => _folder.Dispose();
}
