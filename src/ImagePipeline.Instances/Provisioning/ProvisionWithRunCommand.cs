using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using ImagePipeline.Abstractions;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Instances.Provisioning;

/// <summary>
/// ProvisionInstance on Windows: runs each --provision-script as PowerShell through SSM Run Command
/// (AWS-RunPowerShellScript), one command per script, in order, waiting for each (--poll-delay, --max-wait) and logging
/// its output with every secret masked. The --provision-env values are set as <c>$env:NAME</c> lines before the script;
/// SSM keeps a command's parameters in its history, so they reach SSM.
/// </summary>
public sealed class ProvisionWithRunCommand(ICloudClients clients, ResourceWaiter waiter) : IPipelineStep
{
    public const string DocumentName = "AWS-RunPowerShellScript";

    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        ProvisionInputs.Validate(context);
        if (parameters.Get(ProvisionParameters.Files).Length > 0)
        {
            context.AddError("--provision-file works on Linux only: SSM Run Command has no file transfer; fetch the files from a --provision-script (for example from S3 with Read-S3Object).");
        }

        // An instance the run launches does not exist yet; LaunchInstance waits for its SSM agent.
        if (InstanceSource.WillLaunch(parameters)
            || !context.Require(CommonParameters.InstanceId, "to say which Windows instance to provision through SSM Run Command (or pass --source-ami to launch one)"))
        {
            return;
        }

        var instanceId = parameters.Get(CommonParameters.InstanceId);
        var information = await clients.Ssm().DescribeInstanceInformationAsync(
            new DescribeInstanceInformationRequest { Filters = [new InstanceInformationStringFilter { Key = "InstanceIds", Values = [instanceId] }] },
            cancellationToken);
        if (!(information.InstanceInformationList ?? []).Any(item => item.InstanceId == instanceId && item.PingStatus == PingStatus.Online))
        {
            context.AddError($"--provision-script runs through SSM Run Command on Windows, and instance {instanceId} has no SSM agent online; give it an instance profile with AmazonSSMManagedInstanceCore and a running agent.");
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var instanceId = InstanceSource.InstanceId(context);
        var scripts = parameters.Get(ProvisionParameters.Scripts);
        var environment = ProvisionParameters.ParseEnvironment(parameters);
        var mask = ProvisionInputs.Masking(parameters);
        var progress = context.State.TryGet(ProvisionState.Progress, out var earlier) ? earlier : null;
        if (progress is not null && progress.Instance != instanceId)
        {
            // A command an earlier attempt sent to the instance this one replaces is not this one's to wait for.
            context.State.Remove(ProvisionState.RunCommandId);
        }

        var done = ProvisionProgress.DoneOn(progress, instanceId);
        context.State.Set(ProvisionState.Progress, new ProvisionProgress(instanceId, done));
        context.State.Set(ProvisionState.SecretNames, ProvisionParameters.SecretNames(parameters));
        await context.CheckpointAsync(cancellationToken);

        for (var index = done; index < scripts.Length; index++)
        {
            var name = Path.GetFileName(scripts[index]);
            if (!context.State.TryGet(ProvisionState.RunCommandId, out var commandId))
            {
                var response = await clients.Ssm().SendCommandAsync(
                    new SendCommandRequest
                    {
                        DocumentName = DocumentName,
                        InstanceIds = [instanceId],
                        Comment = $"ImagePipeline run {context.RunId}: provisioning script {name}",
                        Parameters = new Dictionary<string, List<string>>
                        {
                            ["commands"] = [.. environment.Select(pair => $"$env:{pair.Name} = {PowerShellQuote(pair.Value)}"), await File.ReadAllTextAsync(scripts[index], cancellationToken)],
                        },
                    },
                    cancellationToken);
                commandId = response.Command.CommandId;
                context.State.Set(ProvisionState.RunCommandId, commandId);
                await context.CheckpointAsync(cancellationToken);
                context.Logger.ProvisionCommandSent(name, instanceId, commandId);
            }

            var invocation = await waiter.WaitAsync(
                $"provisioning script {name} on instance {instanceId} (SSM command {commandId})",
                token => ProbeAsync(instanceId, commandId, token),
                parameters.Get(CommonParameters.PollDelay),
                parameters.Get(CommonParameters.MaxWait),
                progress: null,
                cancellationToken);
            foreach (var line in Lines(invocation.StandardOutputContent))
            {
                context.Logger.ProvisionOutput(LogLevel.Information, name, mask(line));
            }

            foreach (var line in Lines(invocation.StandardErrorContent))
            {
                context.Logger.ProvisionOutput(LogLevel.Warning, name, mask(line));
            }

            context.State.Remove(ProvisionState.RunCommandId);
            if (invocation.Status != CommandInvocationStatus.Success || invocation.ResponseCode != 0)
            {
                await context.CheckpointAsync(cancellationToken);
                var ending = invocation.ResponseCode is >= 0 and var code ? $"exit status {code}" : $"SSM status {invocation.Status?.Value ?? "unknown"}";
                throw new PipelineException($"Provisioning script {name} failed with {ending}; its output is in the log above.");
            }

            context.State.Set(ProvisionState.Progress, new ProvisionProgress(instanceId, index + 1));
            await context.CheckpointAsync(cancellationToken);
            context.Logger.ProvisionScriptFinished(name, instanceId);
        }

        context.Note = $"{scripts.Length} script{(scripts.Length == 1 ? string.Empty : "s")} on {instanceId} through SSM";
    }

    /// <summary>A PowerShell string literal that holds <paramref name="value"/> verbatim (single quotes, doubled inside).</summary>
    internal static string PowerShellQuote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static IEnumerable<string> Lines(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.TrimEnd('\r', '\n').ReplaceLineEndings("\n").Split('\n');

    /// <summary>Done once the command has ended, however it ended: the step reads the outcome itself, after logging the output.</summary>
    private async Task<WaitProbe<GetCommandInvocationResponse>> ProbeAsync(string instanceId, string commandId, CancellationToken cancellationToken)
    {
        GetCommandInvocationResponse invocation;
        try
        {
            invocation = await clients.Ssm().GetCommandInvocationAsync(new GetCommandInvocationRequest { CommandId = commandId, InstanceId = instanceId }, cancellationToken);
        }
        catch (InvocationDoesNotExistException)
        {
            // SSM needs a moment before the invocation of a new command can be read.
            return WaitProbe<GetCommandInvocationResponse>.Pending("sent");
        }

        var status = invocation.Status;
        return status == CommandInvocationStatus.Pending || status == CommandInvocationStatus.InProgress || status == CommandInvocationStatus.Delayed || status == CommandInvocationStatus.Cancelling
            ? WaitProbe<GetCommandInvocationResponse>.Pending(status.Value)
            : WaitProbe<GetCommandInvocationResponse>.Done(invocation);
    }
}
