using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using ImagePipeline.LocalCloud.Faults;

namespace ImagePipeline.LocalCloud.Tests;

/// <summary>
/// Run Command on instances RunInstances launched: the SSM agent of Amazon's images registers only with an instance
/// profile; PowerShell runs Pending → InProgress → Success, or Failed with an exit code when a fault rule says so.
/// </summary>
public sealed class LaunchedInstanceSsmTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string Region = "sa-east-1";

    [Fact]
    public async Task A_windows_instance_launched_with_an_instance_profile_is_online_in_ssm_once_running_and_one_without_is_not()
    {
        var managed = await LaunchWindowsAsync(withProfile: true);
        var unmanaged = await LaunchWindowsAsync(withProfile: false);
        using var ssm = cloud.Ssm(Region);

        var whilePending = await InformationAsync(ssm, managed);
        cloud.Clock.Advance(cloud.InstanceTransitionDelay);
        var running = await InformationAsync(ssm, managed);
        var withoutProfile = await InformationAsync(ssm, unmanaged);
        var send = () => ssm.SendCommandAsync(PowerShell(unmanaged, "Write-Output 'hi'"));

        whilePending.Should().BeEmpty();
        running.Should().ContainSingle().Which.PingStatus.Should().Be(PingStatus.Online);
        withoutProfile.Should().BeEmpty();
        (await send.Should().ThrowAsync<InvalidInstanceIdException>()).Which.ErrorCode.Should().Be("InvalidInstanceId");
    }

    [Fact]
    public async Task A_powershell_script_succeeds_with_response_code_0_and_the_literal_lines_it_prints_as_standard_output()
    {
        var instanceId = await LaunchWindowsAsync(withProfile: true);
        cloud.Clock.Advance(cloud.InstanceTransitionDelay);
        using var ssm = cloud.Ssm(Region);

        var sent = await ssm.SendCommandAsync(PowerShell(instanceId, "Write-Output 'installing'", "New-Item C:\\marker.txt", "Write-Host \"done\""));
        var running = await InvocationAsync(ssm, sent, instanceId);
        cloud.Clock.Advance(cloud.InstanceTransitionDelay * 2);
        var finished = await InvocationAsync(ssm, sent, instanceId);

        running.ResponseCode.Should().Be(-1);
        running.StandardOutputContent.Should().BeEmpty();
        finished.Status.Should().Be(CommandInvocationStatus.Success);
        finished.ResponseCode.Should().Be(0);
        finished.StandardOutputContent.Should().Be("installing\ndone\n");
        finished.StandardErrorContent.Should().BeEmpty();
        finished.PluginName.Should().Be("aws:runPowerShellScript");
    }

    [Fact]
    public async Task A_command_failure_rule_makes_the_matching_invocation_end_failed_with_its_response_code_and_standard_error()
    {
        var instanceId = await LaunchWindowsAsync(withProfile: true);
        cloud.Clock.Advance(cloud.InstanceTransitionDelay);
        using var ssm = cloud.Ssm(Region);
        var marker = Guid.NewGuid().ToString("N");
        cloud.Server.Faults.Add(new FaultRule { Kind = FaultKind.CommandFailure, CommandContains = marker, ResponseCode = 3, StandardError = "install.ps1: package not found", MaxInjections = 1 });

        var failing = await ssm.SendCommandAsync(PowerShell(instanceId, $"# {marker}", "Write-Output 'before the failure'"));
        var other = await ssm.SendCommandAsync(PowerShell(instanceId, "Write-Output 'unrelated'"));
        cloud.Clock.Advance(cloud.InstanceTransitionDelay * 2);
        var failed = await InvocationAsync(ssm, failing, instanceId);
        var succeeded = await InvocationAsync(ssm, other, instanceId);
        var listed = await ssm.ListCommandsAsync(new ListCommandsRequest { CommandId = failing.Command.CommandId });

        failed.Status.Should().Be(CommandInvocationStatus.Failed);
        failed.StatusDetails.Should().Be("Failed");
        failed.ResponseCode.Should().Be(3);
        failed.StandardErrorContent.Should().Be("install.ps1: package not found");
        failed.StandardOutputContent.Should().Be("before the failure\n");
        succeeded.Status.Should().Be(CommandInvocationStatus.Success);
        listed.Commands.Should().ContainSingle().Which.ErrorCount.Should().Be(1);
        cloud.Server.Faults.Injections.Should().Contain(i => i.Kind == FaultKind.CommandFailure && i.Operation == "SendCommand");
    }

    private async Task<string> LaunchWindowsAsync(bool withProfile)
    {
        using var ec2 = cloud.Ec2(Region);
        var run = await ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = LocalCloudSeedIds.WindowsEbsImageId,
            InstanceType = InstanceType.T3Large,
            MinCount = 1,
            MaxCount = 1,
            IamInstanceProfile = withProfile ? new IamInstanceProfileSpecification { Name = "SSMManagedInstance" } : null,
        });
        run.Reservation.Instances[0].Platform.Should().Be(PlatformValues.Windows);
        return run.Reservation.Instances[0].InstanceId;
    }

    private static SendCommandRequest PowerShell(string instanceId, params string[] lines) => new()
    {
        DocumentName = "AWS-RunPowerShellScript",
        InstanceIds = [instanceId],
        Parameters = new Dictionary<string, List<string>> { ["commands"] = [.. lines] },
    };

    private static async Task<List<InstanceInformation>> InformationAsync(AmazonSimpleSystemsManagementClient ssm, string instanceId) =>
        (await ssm.DescribeInstanceInformationAsync(new DescribeInstanceInformationRequest
        {
            Filters = [new InstanceInformationStringFilter { Key = "InstanceIds", Values = [instanceId] }],
        })).InstanceInformationList ?? [];

    private static Task<GetCommandInvocationResponse> InvocationAsync(AmazonSimpleSystemsManagementClient ssm, SendCommandResponse sent, string instanceId) =>
        ssm.GetCommandInvocationAsync(new GetCommandInvocationRequest { CommandId = sent.Command.CommandId, InstanceId = instanceId });
}
