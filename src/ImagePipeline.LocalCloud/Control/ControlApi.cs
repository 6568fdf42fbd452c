using System.Text.Json;
using System.Text.Json.Serialization;
using ImagePipeline.LocalCloud.Faults;
using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.Control;

/// <summary>
/// The out-of-process test hook, unsigned, loopback only:
/// GET /_localcloud/state, GET|POST|DELETE /_localcloud/faults, POST /_localcloud/seed/bucket,
/// POST /_localcloud/seed/object?bucket=B&amp;key=K (raw body), POST /_localcloud/seed/instance.
/// </summary>
internal sealed class ControlApi(LocalCloudServer server)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = true,
    };

    public async Task HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var path = context.Request.Path.Value ?? "";
        var method = context.Request.Method;
        try
        {
            switch (path, method)
            {
                case ("/_localcloud/state", "GET"):
                    await WriteBytesAsync(context, server.GetStateJson(), cancellationToken);
                    return;
                case ("/_localcloud/faults", "GET"):
                    await WriteAsync(context, new { rules = server.Faults.Rules.Select(ToDto), injections = server.Faults.Injections, injectedCount = server.Faults.InjectedCount }, cancellationToken);
                    return;
                case ("/_localcloud/faults", "POST"):
                    foreach (var rule in await ReadRulesAsync(context, cancellationToken))
                    {
                        server.Faults.Add(rule);
                    }

                    context.Response.StatusCode = 204;
                    return;
                case ("/_localcloud/faults", "DELETE"):
                    server.Faults.Clear();
                    context.Response.StatusCode = 204;
                    return;
                case ("/_localcloud/seed/bucket", "POST"):
                    var bucket = await JsonSerializer.DeserializeAsync<BucketSeedDto>(context.Request.Body, Json, cancellationToken)
                        ?? throw new JsonException("empty body");
                    server.SeedBucket(bucket.Name, bucket.Region, bucket.OwnerAccountId ?? LocalCloudAccounts.AccountId);
                    context.Response.StatusCode = 204;
                    return;
                case ("/_localcloud/seed/object", "POST"):
                    using (var body = new MemoryStream())
                    {
                        await context.Request.Body.CopyToAsync(body, cancellationToken);
                        server.SeedObject(
                            context.Request.Query["bucket"].ToString(),
                            context.Request.Query["key"].ToString() is { Length: > 0 } key ? key : throw new ArgumentException("key is required"),
                            body.ToArray());
                    }

                    context.Response.StatusCode = 204;
                    return;
                case ("/_localcloud/seed/instance", "POST"):
                    var seed = await JsonSerializer.DeserializeAsync<InstanceSeed>(context.Request.Body, Json, cancellationToken)
                        ?? throw new JsonException("empty body");
                    await WriteAsync(context, new { instanceId = server.SeedInstance(seed) }, cancellationToken);
                    return;
                default:
                    context.Response.StatusCode = 404;
                    return;
            }
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            context.Response.StatusCode = 400;
            await WriteAsync(context, new { error = ex.Message }, cancellationToken);
        }
    }

    private static async Task<List<FaultRule>> ReadRulesAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
        var elements = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().ToList() : [document.RootElement];
        return [.. elements.Select(e => (e.Deserialize<FaultRuleDto>(Json) ?? throw new JsonException("empty rule")).ToRule())];
    }

    private static FaultRuleDto ToDto(FaultRule rule) =>
        new(rule.Service, rule.Operation, rule.Kind, rule.EveryNth, rule.MaxInjections, (int)rule.Latency.TotalMilliseconds, rule.BytesPerSecond, rule.ResponseCode, rule.StandardError, rule.CommandContains);

    private static Task WriteAsync(HttpContext context, object value, CancellationToken cancellationToken) =>
        WriteBytesAsync(context, JsonSerializer.SerializeToUtf8Bytes(value, Json), cancellationToken);

    private static async Task WriteBytesAsync(HttpContext context, byte[] bytes, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>A fault rule on the wire: latency in milliseconds, bandwidth in bytes per second.</summary>
    private sealed record FaultRuleDto(
        string? Service, string? Operation, FaultKind Kind, int EveryNth = 1, int? MaxInjections = null, int LatencyMilliseconds = 0, long BytesPerSecond = 0,
        int ResponseCode = 1, string? StandardError = null, string? CommandContains = null)
    {
        public FaultRule ToRule() => new()
        {
            Service = Service,
            Operation = Operation,
            Kind = Kind,
            EveryNth = EveryNth < 1 ? throw new ArgumentException("everyNth must be at least 1") : EveryNth,
            MaxInjections = MaxInjections,
            Latency = TimeSpan.FromMilliseconds(LatencyMilliseconds),
            BytesPerSecond = Kind == FaultKind.Bandwidth && BytesPerSecond < 1 ? throw new ArgumentException("bytesPerSecond must be at least 1 for a Bandwidth rule") : BytesPerSecond,
            ResponseCode = Kind == FaultKind.CommandFailure && ResponseCode == 0 ? throw new ArgumentException("responseCode of a CommandFailure rule must not be 0") : ResponseCode,
            StandardError = StandardError,
            CommandContains = CommandContains,
        };
    }

    private sealed record BucketSeedDto(string Name, string Region, string? OwnerAccountId);
}
