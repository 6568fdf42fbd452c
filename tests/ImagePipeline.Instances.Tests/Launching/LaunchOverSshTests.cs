using Amazon.EC2.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.Core.Sessions;
using ImagePipeline.Instances.Launching;
using ImagePipeline.LocalCloud.Faults;
using Microsoft.Extensions.DependencyInjection;

namespace ImagePipeline.Instances.Tests.Launching;

/// <summary>
/// A launch something logs in to (Linux provisioning): a temporary key pair and security group, a wait for SSH, and
/// everything the run made gone when it ends, after success and failure.
/// </summary>
public sealed class LaunchOverSshTests(LaunchOverSshCloudFixture cloud) : IClassFixture<LaunchOverSshCloudFixture>
{
    private const string AmazonLinux = "ami-0000000000000b001";

    [Fact]
    public async Task A_base_image_is_provisioned_over_ssh_with_a_temporary_key_pair_and_group_then_captured_and_everything_temporary_is_removed()
    {
        var marker = Path.Combine(cloud.Ssh.Subdirectory($"marker-{Guid.NewGuid():N}"), "installed");
        await using var bake = Bake($"echo web-1.0 > {marker}\n");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        File.ReadAllText(marker).Should().Be("web-1.0\n", "the script ran on the launched instance");
        (await cloud.ImagesNamedAsync(bake.ImageName)).Should().ContainSingle();
        var instance = (await bake.InstancesAsync()).Single(candidate => RunIdOf(candidate) == result.RunId);
        instance.KeyName.Should().Be($"imagepipeline-{result.RunId}");
        instance.State.Name.Value.Should().Be("terminated");
        bake.Logs.Should().Contain("Created temporary key pair").And.Contain("Created temporary security group").And.Contain("SSH on 127.0.0.1:");
        await TemporaryResourcesShouldBeGoneAsync(bake, result.RunId);
    }

    [Fact]
    public async Task A_failing_script_terminates_the_instance_and_removes_the_key_pair_the_group_and_the_private_key()
    {
        await using var bake = Bake("echo about to fail\nexit 3\n");

        var result = await bake.RunAsync();

        result.Outcome.Should().Be(RunOutcome.Failed, bake.Logs);
        result.Failure!.Message.Should().Contain("exit status 3");
        result.CleanupFailures.Should().BeEmpty();
        (await bake.InstancesAsync()).Single(candidate => RunIdOf(candidate) == result.RunId).State.Name.Value.Should().Be("terminated");
        (await cloud.ImagesNamedAsync(bake.ImageName)).Should().BeEmpty();
        await TemporaryResourcesShouldBeGoneAsync(bake, result.RunId);
    }

    [Fact]
    public async Task Ctrl_c_while_provisioning_terminates_the_instance_and_removes_the_key_pair_the_group_and_the_private_key()
    {
        var started = Path.Combine(cloud.Ssh.Subdirectory($"started-{Guid.NewGuid():N}"), "started");
        await using var bake = Bake($"touch {started}\nsleep 60\n");
        using var cancellation = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!File.Exists(started))
            {
                await Task.Delay(50);
            }

            await cancellation.CancelAsync();
        });

        var result = await bake.RunAsync(cancellation.Token);
        await watcher;

        result.Outcome.Should().Be(RunOutcome.Cancelled, bake.Logs);
        result.CleanupFailures.Should().BeEmpty();
        (await bake.InstancesAsync()).Single(candidate => RunIdOf(candidate) == result.RunId).State.Name.Value.Should().Be("terminated");
        await TemporaryResourcesShouldBeGoneAsync(bake, result.RunId);
    }

    [Fact]
    public async Task A_kept_instance_whose_temporary_key_is_gone_is_terminated_and_launched_anew_on_resume()
    {
        await using var bake = Bake("exit 3\n").With("keep-on-failure", "true");
        var failed = await bake.RunAsync();
        failed.Outcome.Should().Be(RunOutcome.Failed, bake.Logs);
        var kept = (await bake.InstancesAsync()).Single(candidate => RunIdOf(candidate) == failed.RunId);
        kept.State.Name.Value.Should().Be("running", "--keep-on-failure keeps it");
        Directory.EnumerateFiles(bake.Harness.RunsDirectory, "launch-key.pem", SearchOption.AllDirectories).Should().BeEmpty("its private key is removed anyway");
        File.WriteAllText(bake.ScriptPath, "#!/bin/sh\ntrue\n");

        var resumed = await bake.ResumeAsync(failed.RunId);

        resumed.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        bake.Logs.Should().Contain($"Instance {kept.InstanceId}, which this run launched, cannot be logged in to any more");
        var launched = (await bake.InstancesAsync()).Where(candidate => RunIdOf(candidate) == failed.RunId).ToList();
        launched.Should().HaveCount(2, "the kept instance is replaced by one launched with the new key pair");
        launched.Should().OnlyContain(instance => instance.State.Name.Value == "terminated");
        await TemporaryResourcesShouldBeGoneAsync(bake, failed.RunId);
    }

    [Fact]
    public async Task An_instance_launched_anew_on_resume_is_provisioned_again_though_the_first_was_provisioned()
    {
        var log = Path.Combine(cloud.Ssh.Subdirectory($"provisioned-{Guid.NewGuid():N}"), "runs");
        await using var bake = Bake($"echo provisioned >> {log}\n").With("keep-on-failure", "true").With("max-attempts", "1");
        cloud.Server.Faults.Add(new FaultRule { Service = "ec2", Operation = "CreateImage", Kind = FaultKind.InternalError, MaxInjections = 1 });
        RunResult failed;
        try
        {
            failed = await bake.RunAsync();
        }
        finally
        {
            cloud.Server.Faults.Clear();
        }

        failed.Outcome.Should().Be(RunOutcome.Failed, bake.Logs);
        failed.Targets[1].Status.Should().Be(TargetStatus.Succeeded, "ProvisionInstance finished before CreateImage failed");

        var resumed = await bake.ResumeAsync(failed.RunId);

        resumed.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        (await bake.InstancesAsync()).Where(candidate => RunIdOf(candidate) == failed.RunId).Should().HaveCount(2, "the kept instance, whose key is gone, was replaced");
        resumed.Targets[1].Status.Should().Be(TargetStatus.Succeeded, "the new instance is provisioned, not taken for the one an earlier attempt provisioned");
        File.ReadAllLines(log).Should().Equal("provisioned", "provisioned");
        await TemporaryResourcesShouldBeGoneAsync(bake, failed.RunId);
    }

    [Fact]
    public async Task After_a_crash_that_lost_the_temporary_key_the_resumed_run_launches_anew_and_logs_in_with_the_new_key()
    {
        await using var bake = Bake("exit 3\n").With("keep-on-failure", "true");
        var failed = await bake.RunAsync();
        failed.Outcome.Should().Be(RunOutcome.Failed, bake.Logs);
        var kept = (await bake.InstancesAsync()).Single(candidate => RunIdOf(candidate) == failed.RunId);

        // What the record says after a SIGKILL once the instance was up: the launch and its waits completed, and the
        // sweep of the dead run's secrets (the private key) marked only the key pair's step to run again.
        var store = new ImagePipeline.Core.Runs.RunStore(bake.Harness.RunsDirectory, TimeProvider.System);
        var record = store.Load(failed.RunId)!;
        foreach (var step in record.Steps.Keys.Where(step => step.StartsWith("LaunchInstance/", StringComparison.Ordinal)).ToList())
        {
            record.Steps[step] = step == "LaunchInstance/CreateTemporaryKeyPair" ? ImagePipeline.Core.Runs.StepStatus.Undone : ImagePipeline.Core.Runs.StepStatus.Completed;
        }

        await store.SaveAsync(record, CancellationToken.None);
        File.WriteAllText(bake.ScriptPath, "#!/bin/sh\ntrue\n");

        var resumed = await bake.ResumeAsync(failed.RunId);

        resumed.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        bake.Logs.Should().Contain($"Instance {kept.InstanceId}, which this run launched, cannot be logged in to any more");
        (await bake.InstancesAsync()).Where(candidate => RunIdOf(candidate) == failed.RunId).Should().HaveCount(2).And.OnlyContain(instance => instance.State.Name.Value == "terminated");
        await TemporaryResourcesShouldBeGoneAsync(bake, failed.RunId);
    }

    [Fact]
    public async Task Without_an_ssh_source_cidr_the_group_admits_ssh_from_the_address_checkip_reports()
    {
        using var checkip = new CheckIpStandIn("198.51.100.7\n");
        await using var bake = Bake("true\n", services => services.AddSingleton(new PublicAddressLookup(new HttpClient(), checkip.Uri)))
            .Without("ssh-source-cidr").With("keep-instance", "true");

        var result = await bake.RunAsync("LaunchInstance");

        result.Outcome.Should().Be(RunOutcome.Succeeded, bake.Logs);
        using var ec2 = cloud.Ec2();
        var group = (await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Filter("tag:imagepipeline:run-id", [result.RunId])] }))
            .SecurityGroups.Should().ContainSingle("--keep-instance keeps the group with the instance").Subject;
        group.IpPermissions.Should().ContainSingle().Which.Ipv4Ranges.Should().ContainSingle().Which.CidrIp.Should().Be("198.51.100.7/32");
        (await bake.InstancesAsync()).Single(candidate => RunIdOf(candidate) == result.RunId).State.Name.Value.Should().Be("running");
        await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [(await bake.InstancesAsync()).Single(candidate => RunIdOf(candidate) == result.RunId).InstanceId] });
    }

    [Fact]
    public async Task Without_an_ssh_source_cidr_and_no_answer_from_checkip_validation_names_the_parameter_and_nothing_is_launched()
    {
        using var checkip = new CheckIpStandIn(answer: null);
        await using var bake = Bake("true\n", services => services.AddSingleton(new PublicAddressLookup(new HttpClient(), checkip.Uri))).Without("ssh-source-cidr");
        var before = await bake.InstancesAsync();

        var run = () => bake.RunAsync();

        (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors.Should().ContainSingle()
            .Which.Should().StartWith("--ssh-source-cidr is required to admit SSH to the launched instance").And.Contain("pass --ssh-source-cidr CIDR");
        (await bake.InstancesAsync()).Should().HaveSameCount(before);
    }

    private LaunchBake Bake(string script, Action<IServiceCollection>? services = null)
    {
        var scriptPath = Path.Combine(cloud.Ssh.Subdirectory($"scripts-{Guid.NewGuid():N}"), "install.sh");
        File.WriteAllText(scriptPath, "#!/bin/sh\nset -e\n" + script);
        return new LaunchBake(cloud, services: services) { ScriptPath = scriptPath }
            .With("source-ami", AmazonLinux)
            .With("provision-script", scriptPath)
            .With("ssh-user", cloud.Ssh.User)
            .With("ssh-port", cloud.Ssh.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("ssh-host-key-fingerprint", cloud.Ssh.HostKeyFingerprint)
            .With("ssh-source-cidr", "127.0.0.1/32");
    }

    private async Task TemporaryResourcesShouldBeGoneAsync(LaunchBake bake, string runId)
    {
        using var ec2 = cloud.Ec2();
        var keyPairs = await ec2.DescribeKeyPairsAsync(new DescribeKeyPairsRequest { Filters = [new Filter("tag:imagepipeline:run-id", [runId])] });
        (keyPairs.KeyPairs ?? []).Should().BeEmpty("the temporary key pair is deleted");
        var groups = await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Filter("tag:imagepipeline:run-id", [runId])] });
        (groups.SecurityGroups ?? []).Should().BeEmpty("the temporary security group is deleted");
        Directory.EnumerateFiles(bake.Harness.RunsDirectory, "launch-key.pem", SearchOption.AllDirectories).Should().BeEmpty("the private key never outlives the run");
    }

    private static string? RunIdOf(Instance instance) => (instance.Tags ?? []).FirstOrDefault(tag => tag.Key == "imagepipeline:run-id")?.Value;
}
