using Amazon.Runtime;
using ImagePipeline.Abstractions;
using ImagePipeline.Aws;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Cloud;

/// <summary>
/// Decides where the run's AWS calls go: the local cloud (started here as a child process, state under
/// <c>.nuke/temp/localcloud/</c>), a given endpoint, or AWS itself; and builds the SDK settings for it.
/// </summary>
internal sealed class CloudConnection : IAsyncDisposable
{
    private CloudConnection(AwsCloudSettings settings, LocalCloudProcess? server, IReadOnlyList<string> secrets)
    {
        Settings = settings;
        Server = server;
        Secrets = secrets;
    }

    public AwsCloudSettings Settings { get; }

    /// <summary>The local cloud this run started, or null.</summary>
    public LocalCloudProcess? Server { get; }

    /// <summary>Secret values to mask in every output (the secret key and session token of real credentials).</summary>
    public IReadOnlyList<string> Secrets { get; }

    public static string LocalCloudDirectory(string root) => Path.Combine(root, ".nuke", "temp", "localcloud");

    /// <summary>Opens the connection the parameters ask for; for <c>--cloud local</c> without <c>--endpoint-url</c> that starts the local cloud.</summary>
    public static async Task<CloudConnection> OpenAsync(
        IParameterValues parameters, string root, string localCloudExecutable, bool verbose, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var cloud = parameters.Get(AwsParameters.Cloud);
        var endpoint = parameters.GetOrDefault(AwsParameters.EndpointUrl);
        var maxAttempts = parameters.Get(AwsParameters.MaxAttempts);
        var retryMode = parameters.Get(AwsParameters.RetryMode);

        if (cloud == CloudKind.Local)
        {
            var region = parameters.GetOrDefault(CommonParameters.Region) ?? "us-east-1";
            LocalCloudProcess? server = null;
            Uri serviceUrl;
            if (endpoint is null)
            {
                server = await LocalCloudProcess.StartAsync(
                    localCloudExecutable,
                    LocalCloudDirectory(root),
                    port: 0,
                    parameters.Get(AwsParameters.LocalCloudReset),
                    verbose,
                    loggerFactory.CreateLogger("ImagePipeline.LocalCloud"),
                    cancellationToken);
                serviceUrl = server.Endpoint;
            }
            else
            {
                serviceUrl = new Uri(endpoint);
            }

            var settings = new AwsCloudSettings
            {
                Region = region,
                Credentials = LocalCloudAccount.Credentials,
                ServiceUrl = serviceUrl,
                MaxAttempts = maxAttempts,
                RetryMode = retryMode,
            };
            return new CloudConnection(settings, server, []);
        }

        var profile = parameters.GetOrDefault(AwsParameters.Profile);
        var credentials = AwsCredentialsResolver.Resolve(profile);
        var awsRegion = parameters.GetOrDefault(CommonParameters.Region) ?? AwsRegionResolver.Resolve(profile);
        var secrets = new List<string>();
        try
        {
            var immutable = await credentials.GetCredentialsAsync();
            secrets.Add(immutable.SecretKey);
            if (!string.IsNullOrEmpty(immutable.Token))
            {
                secrets.Add(immutable.Token);
            }
        }
        catch (AmazonClientException exception)
        {
            throw PipelineException.Input($"AWS credentials could not be loaded ({exception.Message}). Tried: {AwsCredentialsResolver.WhatTheChainTries}.", exception);
        }

        return new CloudConnection(
            new AwsCloudSettings
            {
                Region = awsRegion,
                Credentials = credentials,
                ServiceUrl = endpoint is null ? null : new Uri(endpoint),
                MaxAttempts = maxAttempts,
                RetryMode = retryMode,
            },
            null,
            secrets);
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
