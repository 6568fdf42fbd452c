using System.Net;
using System.Text.Json;
using ImagePipeline.LocalCloud.Control;
using ImagePipeline.LocalCloud.Ec2;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.S3;
using ImagePipeline.LocalCloud.Ssm;
using ImagePipeline.LocalCloud.Storage;
using ImagePipeline.LocalCloud.Sts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagePipeline.LocalCloud;

/// <summary>
/// A loopback HTTP server that answers the EC2, S3, STS and SSM calls of the real AWS SDK (point the SDK's
/// ServiceURL at <see cref="Endpoint"/>; S3 path-style) as strictly as AWS does.
/// </summary>
public sealed class LocalCloudServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StateStore _store;
    private readonly LocalCloudOptions _options;
    private IReadOnlyList<ITimeDrivenWork> _timeDrivenWork = [];

    private LocalCloudServer(WebApplication app, StateStore store, LocalCloudOptions options, LocalCloudFaults faults)
    {
        _app = app;
        _store = store;
        _options = options;
        Faults = faults;
        Endpoint = new Uri("http://127.0.0.1");
    }

    /// <summary>http://127.0.0.1:PORT — the ServiceURL for every client.</summary>
    public Uri Endpoint { get; private set; }

    /// <summary>Fault injection for the AWS calls (the control API is never faulted).</summary>
    public LocalCloudFaults Faults { get; }

    public static async Task<LocalCloudServer> StartAsync(LocalCloudOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var store = new StateStore(options.DataDirectory, options.Reset, loggerFactory.CreateLogger("ImagePipeline.LocalCloud.State"));
        var faults = new LocalCloudFaults(options.TimeProvider);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        var server = new LocalCloudServer(app, store, options, faults);
        var ec2 = new Ec2Handler(store, options);
        var handlers = new Dictionary<string, IServiceHandler>(StringComparer.Ordinal)
        {
            ["s3"] = new S3Handler(store, options.TimeProvider),
            ["ec2"] = ec2,
            ["sts"] = new StsHandler(),
            ["ssm"] = new SsmHandler(store, options, faults),
        };
        server._timeDrivenWork = [ec2.Bundles];
        var router = new RequestRouter(
            handlers,
            faults,
            new ControlApi(server),
            new SigV4Verifier(options.VerifySignatures, options.SigningClock),
            server._timeDrivenWork,
            loggerFactory.CreateLogger("ImagePipeline.LocalCloud.Requests"));
        app.Run(router.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        loggerFactory.CreateLogger("ImagePipeline.LocalCloud").LogInformation("Local cloud listening on {Endpoint}", server.Endpoint);
        return server;
    }

    /// <summary>
    /// Runs a server until cancelled. The first line written is the ready line a parent process waits for,
    /// <c>{"endpoint":"http://127.0.0.1:PORT/"}</c>; the lines after it tell people the well-known credentials and the control API.
    /// </summary>
    public static async Task RunUntilCancelledAsync(LocalCloudOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            await using var server = await StartAsync(options, cancellationToken);

            // The banner is written whole even when the stop comes while it is written (a parent that closes standard
            // input at once): the stop is honoured right after it.
            await output.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["endpoint"] = server.Endpoint.ToString() }));
            await output.WriteLineAsync($"Local cloud listening on {server.Endpoint} (data in {options.DataDirectory})");
            await output.WriteLineAsync($"Access key {LocalCloudAccounts.AccessKeyId} / {LocalCloudAccounts.SecretAccessKey} (account {LocalCloudAccounts.AccountId})");
            await output.WriteLineAsync($"Access key {LocalCloudAccounts.OtherAccessKeyId} / {LocalCloudAccounts.OtherSecretAccessKey} (account {LocalCloudAccounts.OtherAccountId})");
            await output.WriteLineAsync("Control API: GET /_localcloud/state, GET|POST|DELETE /_localcloud/faults, POST /_localcloud/seed/bucket, POST /_localcloud/seed/object?bucket=B&key=K, POST /_localcloud/seed/instance");
            await output.FlushAsync(CancellationToken.None);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancellation is how the server is asked to stop, at any moment, starting up included.
        }
    }

    /// <summary>Creates a bucket directly (for example one owned by the other account, or in another region).</summary>
    public void SeedBucket(string name, string region, string ownerAccountId = LocalCloudAccounts.AccountId)
    {
        if (!BucketNameRules.IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a valid bucket name.", nameof(name));
        }

        using (_store.Transaction())
        {
            if (!_store.State.Buckets.ContainsKey(name))
            {
                _store.State.Buckets[name] = new BucketRecord
                {
                    Name = name,
                    Region = region,
                    OwnerAccountId = ownerAccountId,
                    CreatedAt = _options.TimeProvider.GetUtcNow(),
                    PublicAccessBlockXml = S3BucketOperations.DefaultPublicAccessBlockXml,
                };
                _store.Save();
            }
        }
    }

    /// <summary>Writes an object directly into an existing bucket, bypassing every S3 check.</summary>
    public void SeedObject(string bucket, string key, ReadOnlySpan<byte> content)
    {
        var temp = _store.NewTempPath();
        File.WriteAllBytes(temp, content.ToArray());
        var md5 = System.Security.Cryptography.MD5.HashData(content);
        using (_store.Transaction())
        {
            var record = _store.State.Buckets.TryGetValue(bucket, out var b)
                ? new ObjectRecord
                {
                    Key = key,
                    BlobName = _store.CommitBlob(temp),
                    Size = content.Length,
                    ETag = "\"" + Convert.ToHexStringLower(md5) + "\"",
                    LastModified = _options.TimeProvider.GetUtcNow(),
                    OwnerAccountId = b.OwnerAccountId,
                }
                : throw new ArgumentException($"No bucket '{bucket}'.", nameof(bucket));
            if (b.Objects.TryGetValue(key, out var previous))
            {
                _store.DeleteBlob(previous.BlobName);
            }

            b.Objects[key] = record;
            _store.Save();
        }
    }

    /// <summary>The bytes of an object, or null when there is none.</summary>
    public byte[]? ReadObject(string bucket, string key)
    {
        RunDueWork();
        using (_store.Transaction())
        {
            return _store.State.Buckets.TryGetValue(bucket, out var b) && b.Objects.TryGetValue(key, out var o)
                ? File.ReadAllBytes(_store.BlobPath(o.BlobName))
                : null;
        }
    }

    /// <summary>Adds an instance to a region (seeding the region's four standard instances first); returns its id.</summary>
    public string SeedInstance(InstanceSeed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        using (_store.Transaction())
        {
            var region = InstanceFactory.Region(_store.State, seed.Region, _options.TimeProvider.GetUtcNow());
            if (seed.InstanceId is not null && region.Instances.ContainsKey(seed.InstanceId))
            {
                throw new ArgumentException($"Instance {seed.InstanceId} already exists in {seed.Region}.", nameof(seed));
            }

            var id = InstanceFactory.Create(region, seed, _options.TimeProvider.GetUtcNow()).InstanceId;
            _store.Save();
            return id;
        }
    }

    /// <summary>Applies what has fallen due on the clock (bundle tasks writing their parts) before an inspection.</summary>
    internal void RunDueWork()
    {
        foreach (var work in _timeDrivenWork)
        {
            work.RunDueWork();
        }
    }

    /// <summary>A deep copy of the whole state, for read-only inspection.</summary>
    public CloudState GetState() =>
        StateStore.RestoreComparers(JsonSerializer.Deserialize<CloudState>(GetStateJson()) ?? new CloudState());

    /// <summary>The whole state as JSON (what GET /_localcloud/state answers).</summary>
    public byte[] GetStateJson()
    {
        RunDueWork();
        return _store.SnapshotJson();
    }

    /// <summary>The current state name of an instance (running, stopped…), or null when unknown.</summary>
    public string? GetInstanceState(string region, string instanceId)
    {
        using (_store.Transaction())
        {
            var regionState = InstanceFactory.Region(_store.State, region, _options.TimeProvider.GetUtcNow());
            return regionState.Instances.TryGetValue(instanceId, out var i) ? i.Timeline.StateAt(_options.TimeProvider.GetUtcNow()) : null;
        }
    }

    /// <summary>The current state of an image (pending, available…), or null when unknown or deregistered.</summary>
    public string? GetImageState(string region, string imageId)
    {
        using (_store.Transaction())
        {
            var regionState = InstanceFactory.Region(_store.State, region, _options.TimeProvider.GetUtcNow());
            return regionState.Images.TryGetValue(imageId, out var image) && !image.Deregistered ? image.Timeline.StateAt(_options.TimeProvider.GetUtcNow()) : null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _store.Dispose();
    }
}
