using ImagePipeline.Core.Planning;

namespace ImagePipeline.Output;

/// <summary>The <c>--plan</c> text: the ordered targets and, for each, the assembly (the strategy's plugin, or the host's ImagePipeline.Instances) and classes behind it or why it does not apply.</summary>
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
            var implementation = target.Implementation.IsApplicable
                ? $"{Path.GetFileNameWithoutExtension(target.Implementation.Steps[0].Assembly.Location)}: {string.Join(" → ", target.Implementation.Steps.Select(step => step.FullName))}"
                : $"not applicable: {target.Implementation.NotApplicableReason}";
            yield return $"  {number++}. {target.Target,-18}{implementation}";
        }

        yield return "Nothing was executed (--plan).";
    }
}
