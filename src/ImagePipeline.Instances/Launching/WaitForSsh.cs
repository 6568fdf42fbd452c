using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Launching;

/// <summary>LaunchInstance, when something logs in over SSH: connects until the launched instance's SSH server answers and takes the key.</summary>
public sealed class WaitForSsh(IRemoteShell shell, ResourceWaiter waiter) : IPipelineStep
{
    public ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        if (parameters.IsSet(LaunchParameters.SshKeyPairName))
        {
            context.Require(CommonParameters.SshKey, $"with {LaunchParameters.SshKeyPairName} to log in to the launched instance (the private key of that key pair)");
        }

        if (parameters.TryGet(CommonParameters.SshKey, out var key) && InputFile.Problem(Path.GetFullPath(key), $"{CommonParameters.SshKey} '{key}'") is { } problem)
        {
            context.AddError(problem);
        }

        return ValueTask.CompletedTask;
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var endpoint = InstanceSource.Launched(context.State)?.Ssh
            ?? throw new PipelineException($"The launched instance has no SSH endpoint: no key to log in with; give {LaunchParameters.SshKeyPairName} with {CommonParameters.SshKey}, or leave both out for a temporary key pair.");
        await waiter.UntilAsync(
            $"SSH on {endpoint.Host}:{endpoint.Port} to answer",
            async token =>
            {
                try
                {
                    await using var session = await shell.ConnectAsync(endpoint, context.Logger, token);
                    return WaitProbe<bool>.Done(true);
                }
                catch (PipelineException exception) when (!token.IsCancellationRequested)
                {
                    // The instance is still booting (no sshd yet, or cloud-init has not installed the key): try again.
                    return WaitProbe<bool>.Pending(exception.Message);
                }
            },
            context.Parameters,
            cancellationToken);
        context.Logger.SshAnswers(endpoint.Host, endpoint.Port);
        context.Note = $"{endpoint.User}@{endpoint.Host}:{endpoint.Port}";
    }

    /// <inheritdoc cref="ReadinessWait.CleanupAsync"/>
    public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken) => ReadinessWait.CleanupAsync(context);
}
