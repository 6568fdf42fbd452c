using Amazon.EC2;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Instances;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>
/// Windows, --generalize: runs Sysprep through EC2Launch v2 on the instance with SSM Run Command, which shuts the
/// instance down when done, and waits until it is stopped. Like a stop, it is undone by starting the instance again.
/// </summary>
public sealed class GeneralizeWithSysprep(ICloudClients clients, SourceInstance instances, ResourceWaiter waiter) : IPipelineStep
{
    /// <summary>EC2Launch v2's sysprep verb; --shutdown makes the instance stop once the image is generalized.</summary>
    public const string SysprepCommand = "& \"$env:ProgramFiles\\Amazon\\EC2Launch\\ec2launch.exe\" sysprep --shutdown=true";

    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        if (!context.Parameters.IsSet(CommonParameters.InstanceId))
        {
            return;
        }

        var instanceId = context.Parameters.Get(CommonParameters.InstanceId);
        if (await instances.FindAsync(instanceId, cancellationToken) is not { } instance)
        {
            // CreateImageFromInstance reports an unknown instance.
            return;
        }

        if (instance.State?.Name != InstanceStateName.Running)
        {
            context.AddError($"--generalize runs Sysprep on instance {instanceId}, which must be running but is {instance.State?.Name?.Value}; start it, or leave out --generalize.");
            return;
        }

        var information = await clients.Ssm().DescribeInstanceInformationAsync(
            new DescribeInstanceInformationRequest { Filters = [new InstanceInformationStringFilter { Key = "InstanceIds", Values = [instanceId] }] },
            cancellationToken);
        if (!(information.InstanceInformationList ?? []).Any(item => item.InstanceId == instanceId && item.PingStatus == PingStatus.Online))
        {
            context.AddError($"--generalize runs Sysprep through SSM Run Command, and instance {instanceId} has no SSM agent online; give it an instance profile with AmazonSSMManagedInstanceCore and a running agent, or leave out --generalize.");
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var instanceId = InstanceSource.InstanceId(context);
        var wait = WaitSettings.From(context.Parameters);
        if (context.State.TryGet(EbsState.CapturedImage, out var captured))
        {
            // A run resumed after the capture: the image was generalized then; running Sysprep again would only disturb the instance.
            context.Note = $"{captured.ImageId} already captured";
            return;
        }

        if (!context.State.TryGet(EbsState.SysprepCommandId, out var commandId))
        {
            // Remembered before the call: if its answer is lost the instance may still shut down, and the cleanup must start it.
            context.State.Set(EbsState.InstanceStoppedBySysprep, true);
            await context.CheckpointAsync(cancellationToken);
            var response = await clients.Ssm().SendCommandAsync(
                new SendCommandRequest
                {
                    DocumentName = "AWS-RunPowerShellScript",
                    InstanceIds = [instanceId],
                    Comment = $"ImagePipeline run {context.RunId}: Sysprep before imaging",
                    Parameters = new Dictionary<string, List<string>> { ["commands"] = [SysprepCommand] },
                },
                cancellationToken);
            commandId = response.Command.CommandId;
            context.State.Set(EbsState.SysprepCommandId, commandId);
            await context.CheckpointAsync(cancellationToken);
        }

        context.Logger.SysprepSent(instanceId, commandId);
        await waiter.WaitAsync(
            $"Sysprep on instance {instanceId} (SSM command {commandId})",
            token => ProbeAsync(instanceId, commandId, token),
            wait.PollDelay,
            wait.MaxWait,
            progress: null,
            cancellationToken);
        context.Note = $"generalized {instanceId} (SSM command {commandId})";
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.GetOrDefault(EbsState.InstanceStoppedBySysprep, false))
        {
            return CleanupOutcome.NothingToUndo;
        }

        var instanceId = InstanceSource.InstanceId(context);
        if (InstanceSource.Launched(context.State) is not null && (context.Outcome == RunOutcome.Succeeded || context.ShouldUndo))
        {
            // The run launched it to capture it, and terminates it next: starting it again would only cost time. (Kept
            // after a failure, it is started again like any instance, for a resumed run to capture.)
            context.State.Remove(EbsState.InstanceStoppedBySysprep);
            return CleanupOutcome.Undone;
        }

        if (context.Parameters.Get(EbsParameters.LeaveStopped))
        {
            context.Logger.LeavingInstanceStopped(instanceId);
            return CleanupOutcome.Kept;
        }

        var wait = WaitSettings.From(context.Parameters);
        if (context.State.TryGet(EbsState.SysprepCommandId, out var commandId))
        {
            // Sysprep goes on after a failed wait and shuts the instance down when done: starting it before then would be undone by that shutdown.
            var stops = await waiter.WaitAsync(
                $"Sysprep on instance {instanceId} to finish",
                token => ProbeSettledAsync(instanceId, commandId, token),
                wait.PollDelay,
                wait.MaxWait,
                progress: null,
                cancellationToken);
            if (!stops)
            {
                context.State.Remove(EbsState.InstanceStoppedBySysprep);
                return CleanupOutcome.Undone;
            }
        }

        context.Logger.StartingGeneralizedInstance(instanceId);
        await instances.StartAsync(instanceId, wait, cancellationToken);
        context.State.Remove(EbsState.InstanceStoppedBySysprep);
        context.State.Remove(EbsState.SysprepCommandId);
        return CleanupOutcome.Undone;
    }

    /// <summary>True once the instance is stopped; false when the command ended without shutting it down (it keeps running).</summary>
    private async Task<WaitProbe<bool>> ProbeSettledAsync(string instanceId, string commandId, CancellationToken cancellationToken)
    {
        var instance = await instances.GetAsync(instanceId, cancellationToken);
        if (instance.State?.Name == InstanceStateName.Stopped)
        {
            return WaitProbe<bool>.Done(true);
        }

        var status = await InvocationStatusAsync(instanceId, commandId, cancellationToken);
        var endedWithoutShutdown = instance.State?.Name == InstanceStateName.Running
            && (status == CommandInvocationStatus.Failed || status == CommandInvocationStatus.Cancelled || status == CommandInvocationStatus.TimedOut);
        return endedWithoutShutdown ? WaitProbe<bool>.Done(false) : WaitProbe<bool>.Pending($"command {status?.Value ?? "pending"}, instance {instance.State?.Name?.Value}");
    }

    private async Task<CommandInvocationStatus?> InvocationStatusAsync(string instanceId, string commandId, CancellationToken cancellationToken)
    {
        try
        {
            var invocation = await clients.Ssm().GetCommandInvocationAsync(
                new GetCommandInvocationRequest { CommandId = commandId, InstanceId = instanceId }, cancellationToken);
            return invocation.Status;
        }
        catch (InvocationDoesNotExistException)
        {
            return null;
        }
    }

    /// <summary>Done once the instance is stopped; a command that failed while the instance still runs fails the step.</summary>
    private async Task<WaitProbe<bool>> ProbeAsync(string instanceId, string commandId, CancellationToken cancellationToken)
    {
        var instance = await instances.GetAsync(instanceId, cancellationToken);
        var state = instance.State?.Name;
        if (state == InstanceStateName.Stopped)
        {
            return WaitProbe<bool>.Done(true);
        }

        GetCommandInvocationResponse? invocation = null;
        try
        {
            invocation = await clients.Ssm().GetCommandInvocationAsync(
                new GetCommandInvocationRequest { CommandId = commandId, InstanceId = instanceId }, cancellationToken);
        }
        catch (InvocationDoesNotExistException)
        {
            // SSM needs a moment before the invocation of a new command can be read.
        }

        var status = invocation?.Status;
        var stopping = state == InstanceStateName.Stopping;
        if (!stopping && (status == CommandInvocationStatus.Failed || status == CommandInvocationStatus.Cancelled || status == CommandInvocationStatus.TimedOut))
        {
            var detail = string.IsNullOrWhiteSpace(invocation!.StandardErrorContent) ? invocation.StatusDetails : invocation.StandardErrorContent.Trim();
            return WaitProbe<bool>.Failed($"the SSM command ended {status.Value} ({detail}); look at EC2Launch's log on the instance (C:\\ProgramData\\Amazon\\EC2Launch\\log)");
        }

        return WaitProbe<bool>.Pending($"command {status?.Value ?? "pending"}, instance {state?.Value ?? "unknown"}");
    }
}
