using ImagePipeline.Abstractions;
using ImagePipeline.Core.Planning;

namespace ImagePipeline.Output;

/// <summary>
/// The <c>--plan</c> text: the ordered targets and, for each, the assembly (the strategy's plugin, or the host's
/// ImagePipeline.Instances) and classes behind it or why it does not apply; where an instance-store-backed instance is
/// captured another way, that plan on the line below (--plan reads nothing, so it cannot tell which applies).
/// </summary>
internal static class PlanWriter
{
    public static IEnumerable<string> Lines(ExecutionPlan plan)
    {
        var plugin = Path.GetFileNameWithoutExtension(plan.Strategy.GetType().Assembly.Location);
        yield return $"Plan for {plan.Targets[^1].Target} with strategy {plan.Key}: {plan.Strategy.Description}";
        yield return $"Strategy class: {plan.Strategy.GetType().FullName} (plugin {plugin})";
        var number = 1;
        foreach (var target in plan.Targets)
        {
            yield return $"  {number++}. {target.Target,-18}{Implementation(target.Implementation)}";
            if (plan.InstanceStoreRootVariant(target.Target) is { } variant)
            {
                yield return $"     {string.Empty,-18}when the instance is instance-store-backed: {Implementation(variant.Implementation)}";
            }
        }

        yield return "Nothing was executed (--plan).";
    }

    private static string Implementation(TargetPlan implementation) => implementation.IsApplicable
        ? $"{Path.GetFileNameWithoutExtension(implementation.Steps[0].Assembly.Location)}: {string.Join(" → ", implementation.Steps.Select(step => step.FullName))}"
        : $"not applicable: {implementation.NotApplicableReason}";
}
