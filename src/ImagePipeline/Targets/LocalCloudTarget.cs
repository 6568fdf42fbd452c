using ImagePipeline.Abstractions;
using ImagePipeline.Aws;
using ImagePipeline.Cloud;
using ImagePipeline.Core.Parameters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Targets;

/// <summary>The local cloud in the foreground (the same child process a <c>--cloud local</c> run starts), until Ctrl+C.</summary>
internal sealed class LocalCloudTarget() : UtilityTarget(
    "LocalCloud", "Run the local cloud on its own (--port, default 4566) until Ctrl+C, so the AWS CLI or another tool can look at it.", [Port, AwsParameters.LocalCloudReset])
{
    public static readonly Parameter<int> Port = new(
        "port", "LocalCloud: the port to listen on (127.0.0.1).", value => value is < 1 or > 65535 ? "--port must be between 1 and 65535." : null)
    { Default = 4566 };

    public override async Task<int> RunAsync(UtilityContext context, ResolvedParameters parameters, CancellationToken cancellationToken)
    {
        await using var server = await LocalCloudProcess.StartAsync(
            context.Environment.LocalCloudExecutable,
            CloudConnection.LocalCloudDirectory(context.Environment.RootDirectory),
            parameters.Get(Port),
            parameters.Get(AwsParameters.LocalCloudReset),
            context.Verbose,
            context.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ImagePipeline.LocalCloud"),
            cancellationToken);
        context.Console.WriteLine($"Local cloud listening on {server.Endpoint} (EC2, S3, STS, SSM). Press Ctrl+C to stop.");
        context.Console.WriteLine($"  export AWS_ACCESS_KEY_ID={LocalCloudAccount.AccessKeyId} AWS_SECRET_ACCESS_KEY='{LocalCloudAccount.SecretAccessKey}' AWS_REGION=us-east-1");
        context.Console.WriteLine($"  aws --endpoint-url {server.Endpoint} ec2 describe-images --owners self");
        var stopped = await Task.WhenAny(server.Exited, Task.Delay(Timeout.InfiniteTimeSpan, context.Environment.TimeProvider, cancellationToken));
        if (stopped == server.Exited)
        {
            throw new PipelineException($"The local cloud stopped on its own: {server.LastErrors}");
        }

        context.Console.WriteLine("Local cloud stopped; its state is kept under .nuke/temp/localcloud/.");
        return Host.ExitCode.Success;
    }
}
