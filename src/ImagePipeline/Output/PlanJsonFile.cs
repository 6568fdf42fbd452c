using System.Text.Json;
using System.Text.Json.Nodes;
using ImagePipeline.Abstractions;
using ImagePipeline.Aws;
using ImagePipeline.Core.Parameters;
using ImagePipeline.Core.Planning;

namespace ImagePipeline.Output;

/// <summary>
/// <c>--plan --output-json FILE</c>: the plan for scripts and CI, as <c>--plan</c> prints it: the strategy and the plugin
/// behind it, each target with its steps or why it does not apply (and, under <c>whenInstanceStoreRoot</c>, its plan for an
/// instance-store-backed instance where that differs), and the parameters that were set (secrets never).
/// </summary>
internal static class PlanJsonFile
{
    public static string Render(ExecutionPlan plan, ResolvedParameters parameters)
    {
        var json = new JsonObject
        {
            ["strategy"] = plan.Key.ToString(),
            ["strategyClass"] = plan.Strategy.GetType().FullName,
            ["plugin"] = Path.GetFileNameWithoutExtension(plan.Strategy.GetType().Assembly.Location),
            ["target"] = plan.Targets[^1].Target.ToString(),
            ["cloud"] = KebabCase.From(parameters.Get(AwsParameters.Cloud)),
            ["targets"] = new JsonArray(plan.Targets.Select(target =>
            {
                var node = Implementation(target);
                if (plan.InstanceStoreRootVariant(target.Target) is { } variant)
                {
                    node["whenInstanceStoreRoot"] = Implementation(variant);
                }

                return (JsonNode)node;
            }).ToArray()),
            // DescribeSetValues leaves secrets out.
            ["parameters"] = new JsonObject(parameters.DescribeSetValues().Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static JsonObject Implementation(PlannedTarget target) => new()
    {
        ["target"] = target.Target.ToString(),
        ["applicable"] = target.Implementation.IsApplicable,
        ["steps"] = new JsonArray(target.Implementation.Steps.Select(step => (JsonNode)JsonValue.Create(step.FullName)!).ToArray()),
        ["notApplicableReason"] = target.Implementation.NotApplicableReason,
    };
}
