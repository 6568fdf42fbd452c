using System.Net;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace ImagePipeline.LocalCloud.Tests;

public sealed class StsAndSsmTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string Region = "us-west-1";

    [Fact]
    public async Task Get_caller_identity_answers_the_account_of_each_access_key()
    {
        using var main = cloud.Sts();
        using var other = cloud.Sts(credentials: LocalCloudClients.Credentials(otherAccount: true));

        (await main.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Account.Should().Be(LocalCloudAccounts.AccountId);
        (await other.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Account.Should().Be(LocalCloudAccounts.OtherAccountId);
    }

    [Fact]
    public async Task An_unknown_access_key_is_an_invalid_client_token_id()
    {
        using var sts = cloud.Sts(credentials: new BasicAWSCredentials("AKIAUNKNOWNKEY000000", "whatever"));

        var act = () => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        var error = (await act.Should().ThrowAsync<AmazonSecurityTokenServiceException>()).Which;
        error.ErrorCode.Should().Be("InvalidClientTokenId");
        error.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_wrong_secret_for_a_known_key_is_signature_does_not_match()
    {
        using var sts = cloud.Sts(credentials: new BasicAWSCredentials(LocalCloudAccounts.AccessKeyId, "not-the-secret"));

        var act = () => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        (await act.Should().ThrowAsync<AmazonSecurityTokenServiceException>()).Which.ErrorCode.Should().Be("SignatureDoesNotMatch");
    }

    [Fact]
    public async Task A_sysprep_command_with_shutdown_succeeds_and_then_stops_the_windows_instance()
    {
        using var ssm = cloud.Ssm(Region);
        var instanceId = cloud.Server.SeedInstance(new InstanceSeed { Region = Region, Platform = "windows" });

        var sent = await ssm.SendCommandAsync(new SendCommandRequest
        {
            DocumentName = "AWS-RunPowerShellScript",
            InstanceIds = [instanceId],
            Parameters = new Dictionary<string, List<string>> { ["commands"] = ["& \"$env:ProgramFiles\\Amazon\\EC2Launch\\EC2Launch.exe\" sysprep --shutdown"] },
        });
        var pending = await ssm.GetCommandInvocationAsync(new GetCommandInvocationRequest { CommandId = sent.Command.CommandId, InstanceId = instanceId });
        cloud.Clock.Advance(TimeSpan.FromSeconds(10));
        var inProgress = await ssm.GetCommandInvocationAsync(new GetCommandInvocationRequest { CommandId = sent.Command.CommandId, InstanceId = instanceId });
        cloud.Clock.Advance(TimeSpan.FromSeconds(10));
        var success = await ssm.GetCommandInvocationAsync(new GetCommandInvocationRequest { CommandId = sent.Command.CommandId, InstanceId = instanceId });
        var stateAfterSuccess = cloud.Server.GetInstanceState(Region, instanceId);
        cloud.Clock.Advance(TimeSpan.FromSeconds(10));
        var listed = await ssm.ListCommandInvocationsAsync(new ListCommandInvocationsRequest { CommandId = sent.Command.CommandId });

        sent.Command.Status.Should().Be(CommandStatus.Pending);
        pending.Status.Should().Be(CommandInvocationStatus.Pending);
        inProgress.Status.Should().Be(CommandInvocationStatus.InProgress);
        success.Status.Should().Be(CommandInvocationStatus.Success);
        success.ResponseCode.Should().Be(0);
        stateAfterSuccess.Should().Be("stopping");
        cloud.Server.GetInstanceState(Region, instanceId).Should().Be("stopped");
        listed.CommandInvocations.Should().ContainSingle(i => i.InstanceId == instanceId);
    }

    [Fact]
    public async Task A_command_for_an_unknown_invocation_is_invocation_does_not_exist()
    {
        using var ssm = cloud.Ssm(Region);

        var act = () => ssm.GetCommandInvocationAsync(new GetCommandInvocationRequest { CommandId = Guid.NewGuid().ToString(), InstanceId = LocalCloudSeedIds.WindowsEbsInstanceId });

        (await act.Should().ThrowAsync<InvocationDoesNotExistException>()).Which.ErrorCode.Should().Be("InvocationDoesNotExist");
    }

    [Fact]
    public async Task A_command_for_an_unknown_or_stopped_instance_is_invalid_instance_id()
    {
        using var ssm = cloud.Ssm(Region);

        var act = () => ssm.SendCommandAsync(new SendCommandRequest { DocumentName = "AWS-RunPowerShellScript", InstanceIds = ["i-0123456789abcdef0"], Parameters = new Dictionary<string, List<string>> { ["commands"] = ["dir"] } });

        (await act.Should().ThrowAsync<InvalidInstanceIdException>()).Which.ErrorCode.Should().Be("InvalidInstanceId");
    }

    [Fact]
    public async Task The_ssm_agent_of_a_running_instance_is_online()
    {
        using var ssm = cloud.Ssm(Region);

        var info = await ssm.DescribeInstanceInformationAsync(new DescribeInstanceInformationRequest
        {
            Filters = [new InstanceInformationStringFilter { Key = "InstanceIds", Values = [LocalCloudSeedIds.WindowsEbsInstanceId] }],
        });

        info.InstanceInformationList.Should().ContainSingle();
        info.InstanceInformationList[0].PingStatus.Should().Be(PingStatus.Online);
        info.InstanceInformationList[0].PlatformType.Should().Be(PlatformType.Windows);
    }
}
