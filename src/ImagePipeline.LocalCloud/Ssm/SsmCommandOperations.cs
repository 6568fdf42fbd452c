using System.Text.Json.Nodes;
using ImagePipeline.LocalCloud.Faults;
using ImagePipeline.LocalCloud.Routing;
using ImagePipeline.LocalCloud.Storage;

namespace ImagePipeline.LocalCloud.Ssm;

/// <summary>
/// Run Command: SendCommand, GetCommandInvocation, ListCommandInvocations, ListCommands. Each invocation runs
/// Pending → InProgress → Success one InstanceTransitionDelay at a time, or ends Failed with an exit code and standard
/// error when a <see cref="FaultKind.CommandFailure"/> rule says so; a Sysprep command with shutdown stops the instance
/// afterwards, as EC2Launch does. Call under the state gate.
/// </summary>
internal sealed class SsmCommandOperations(LocalCloudOptions options, LocalCloudFaults faults)
{
    private TimeSpan Step => options.InstanceTransitionDelay;

    public JsonObject SendCommand(JsonObject request, CallerContext caller, RegionState region, DateTimeOffset now)
    {
        var document = request["DocumentName"]?.GetValue<string>() ?? throw Validation("DocumentName");
        if (!(document.StartsWith("AWS-", StringComparison.Ordinal) || document.StartsWith("AWSEC2-", StringComparison.Ordinal) || document.StartsWith("AmazonCloudWatch-", StringComparison.Ordinal)))
        {
            throw new AwsServiceException(400, "InvalidDocument", $"Document with name {document} does not exist.");
        }

        var instanceIds = request["InstanceIds"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
        if (instanceIds.Count == 0)
        {
            throw new AwsServiceException(400, "ValidationException", "1 validation error detected: either InstanceIds or Targets must be specified.");
        }

        var invalid = instanceIds.Where(id =>
            !region.Instances.TryGetValue(id, out var i) || i.OwnerAccountId != caller.AccountId || !i.SsmManaged || i.Timeline.StateAt(now) != "running").ToList();
        if (invalid.Count > 0)
        {
            throw new AwsServiceException(400, "InvalidInstanceId", $"Instances [[{string.Join(", ", invalid)}]] not in a valid state for account {caller.AccountId}");
        }

        var parameters = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (request["Parameters"] is JsonObject p)
        {
            foreach (var (name, values) in p)
            {
                parameters[name] = values?.AsArray().Select(v => v!.GetValue<string>()).ToList() ?? [];
            }
        }

        var text = document + " " + string.Join(' ', parameters.Values.SelectMany(v => v));
        var failure = faults.TakeCommandFailure(text);
        var command = new CommandRecord
        {
            CommandId = Guid.NewGuid().ToString(),
            Region = caller.Region,
            OwnerAccountId = caller.AccountId,
            DocumentName = document,
            Comment = request["Comment"]?.GetValue<string>(),
            InstanceIds = instanceIds,
            Parameters = parameters,
            RequestedAt = now,
            Timeline = StateTimeline.Starting(now, "Pending"),
            ShutsDown = failure is null && text.Contains("sysprep", StringComparison.OrdinalIgnoreCase) && text.Contains("shutdown", StringComparison.OrdinalIgnoreCase),
            StandardOutput = ScriptOutput.Of(parameters),
            StandardError = failure?.StandardError ?? "",
            ExitCode = failure?.ResponseCode ?? 0,
        };
        command.Timeline.Schedule(now, (Step, "InProgress"), (Step * 2, failure is null ? "Success" : "Failed"));
        if (command.ShutsDown)
        {
            foreach (var id in instanceIds)
            {
                region.Instances[id].Timeline.Schedule(now, (Step * 2, "stopping"), (Step * 3, "stopped"));
            }
        }

        region.Commands[command.CommandId] = command;
        return new JsonObject { ["Command"] = CommandJson(command, now) };
    }

    public static JsonObject GetCommandInvocation(JsonObject request, CallerContext caller, RegionState region, DateTimeOffset now)
    {
        var commandId = request["CommandId"]?.GetValue<string>() ?? throw Validation("CommandId");
        var instanceId = request["InstanceId"]?.GetValue<string>() ?? throw Validation("InstanceId");
        if (commandId.Length != 36)
        {
            throw new AwsServiceException(400, "ValidationException", $"1 validation error detected: Value '{commandId}' at 'commandId' failed to satisfy constraint: Member must have length equal to 36");
        }

        if (!region.Commands.TryGetValue(commandId, out var command) || command.OwnerAccountId != caller.AccountId || !command.InstanceIds.Contains(instanceId))
        {
            throw new AwsServiceException(400, "InvocationDoesNotExist", "");
        }

        var status = command.Timeline.StateAt(now);
        var started = command.Timeline.Entries.FirstOrDefault(e => e.State == "InProgress" && e.At <= now);
        var ended = command.Timeline.Entries.FirstOrDefault(e => Finished(e.State) && e.At <= now);
        return new JsonObject
        {
            ["CommandId"] = command.CommandId,
            ["InstanceId"] = instanceId,
            ["Comment"] = command.Comment ?? "",
            ["DocumentName"] = command.DocumentName,
            ["DocumentVersion"] = "$DEFAULT",
            ["PluginName"] = PluginName(command),
            ["ResponseCode"] = ResponseCode(command, status),
            ["ExecutionStartDateTime"] = started is null ? "" : AwsTime.Iso(started.At),
            ["ExecutionElapsedTime"] = started is null ? "" : $"PT{((ended?.At ?? now) - started.At).TotalSeconds:0.###}S",
            ["ExecutionEndDateTime"] = ended is null ? "" : AwsTime.Iso(ended.At),
            ["Status"] = status,
            ["StatusDetails"] = status,
            ["StandardOutputContent"] = Finished(status) ? Output(command) : "",
            ["StandardOutputUrl"] = "",
            ["StandardErrorContent"] = Finished(status) ? ScriptOutput.Truncate(command.StandardError) : "",
            ["StandardErrorUrl"] = "",
            ["CloudWatchOutputConfig"] = new JsonObject { ["CloudWatchLogGroupName"] = "", ["CloudWatchOutputEnabled"] = false },
        };
    }

    public static JsonObject ListCommandInvocations(JsonObject request, CallerContext caller, RegionState region, DateTimeOffset now)
    {
        var commandId = request["CommandId"]?.GetValue<string>();
        var instanceId = request["InstanceId"]?.GetValue<string>();
        var details = request["Details"]?.GetValue<bool>() ?? false;
        var invocations = new JsonArray();
        foreach (var command in region.Commands.Values.Where(c => c.OwnerAccountId == caller.AccountId && (commandId is null || c.CommandId == commandId)))
        {
            foreach (var id in command.InstanceIds.Where(i => instanceId is null || i == instanceId))
            {
                var status = command.Timeline.StateAt(now);
                var invocation = new JsonObject
                {
                    ["CommandId"] = command.CommandId,
                    ["InstanceId"] = id,
                    ["InstanceName"] = "",
                    ["Comment"] = command.Comment ?? "",
                    ["DocumentName"] = command.DocumentName,
                    ["DocumentVersion"] = "$DEFAULT",
                    ["RequestedDateTime"] = Epoch(command.RequestedAt),
                    ["Status"] = status,
                    ["StatusDetails"] = status,
                    ["StandardOutputUrl"] = "",
                    ["StandardErrorUrl"] = "",
                };
                if (details)
                {
                    invocation["CommandPlugins"] = new JsonArray(new JsonObject
                    {
                        ["Name"] = PluginName(command),
                        ["Status"] = status,
                        ["StatusDetails"] = status,
                        ["ResponseCode"] = ResponseCode(command, status),
                        ["Output"] = Finished(status) ? Output(command) + command.StandardError : "",
                    });
                }

                invocations.Add(invocation);
            }
        }

        return new JsonObject { ["CommandInvocations"] = invocations };
    }

    public static JsonObject ListCommands(JsonObject request, CallerContext caller, RegionState region, DateTimeOffset now)
    {
        var commandId = request["CommandId"]?.GetValue<string>();
        var instanceId = request["InstanceId"]?.GetValue<string>();
        var commands = region.Commands.Values
            .Where(c => c.OwnerAccountId == caller.AccountId && (commandId is null || c.CommandId == commandId) && (instanceId is null || c.InstanceIds.Contains(instanceId)))
            .Select(c => (JsonNode)CommandJson(c, now));
        return new JsonObject { ["Commands"] = new JsonArray([.. commands]) };
    }

    /// <summary>The SSM agents: Online while the instance runs, ConnectionLost while it is stopped.</summary>
    private static JsonObject CommandJson(CommandRecord command, DateTimeOffset now)
    {
        var status = command.Timeline.StateAt(now);
        var parameters = new JsonObject();
        foreach (var (name, values) in command.Parameters)
        {
            parameters[name] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
        }

        return new JsonObject
        {
            ["CommandId"] = command.CommandId,
            ["DocumentName"] = command.DocumentName,
            ["DocumentVersion"] = "$DEFAULT",
            ["Comment"] = command.Comment ?? "",
            ["ExpiresAfter"] = Epoch(command.RequestedAt.AddHours(1)),
            ["Parameters"] = parameters,
            ["InstanceIds"] = new JsonArray([.. command.InstanceIds.Select(i => (JsonNode)JsonValue.Create(i))]),
            ["Targets"] = new JsonArray(),
            ["RequestedDateTime"] = Epoch(command.RequestedAt),
            ["Status"] = status,
            ["StatusDetails"] = status,
            ["TargetCount"] = command.InstanceIds.Count,
            ["CompletedCount"] = Finished(status) ? command.InstanceIds.Count : 0,
            ["ErrorCount"] = status == "Failed" ? command.InstanceIds.Count : 0,
            ["DeliveryTimedOutCount"] = 0,
            ["MaxConcurrency"] = "50",
            ["MaxErrors"] = "0",
            ["TimeoutSeconds"] = 3600,
        };
    }

    private static string PluginName(CommandRecord command) =>
        command.DocumentName.Contains("PowerShell", StringComparison.OrdinalIgnoreCase) || command.DocumentName.Contains("Sysprep", StringComparison.OrdinalIgnoreCase)
            ? "aws:runPowerShellScript"
            : "aws:runShellScript";

    private static string Output(CommandRecord command) =>
        ScriptOutput.Truncate((command.ShutsDown ? "Sysprep started; the instance will shut down.\n" : "") + command.StandardOutput);

    private static bool Finished(string status) => status is "Success" or "Failed";

    /// <summary>-1 until the invocation has run, as SSM reports it; then the script's exit code.</summary>
    private static int ResponseCode(CommandRecord command, string status) => Finished(status) ? command.ExitCode : -1;

    public static double Epoch(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private static AwsServiceException Validation(string member) =>
        new(400, "ValidationException", $"1 validation error detected: Value null at '{char.ToLowerInvariant(member[0])}{member[1..]}' failed to satisfy constraint: Member must not be null");
}
