namespace ImagePipeline.Abstractions;

/// <summary>How a strategy implements one target: a list of step types, or a reason why the target does not apply.</summary>
public sealed class TargetPlan
{
    private TargetPlan(IReadOnlyList<Type> steps, string? notApplicableReason)
    {
        Steps = steps;
        NotApplicableReason = notApplicableReason;
    }

    /// <summary>The step types, run in order. Each implements <see cref="IPipelineStep"/> and is created through dependency injection.</summary>
    public IReadOnlyList<Type> Steps { get; }

    /// <summary>Why the target does not apply, or null when it does.</summary>
    public string? NotApplicableReason { get; }

    public bool IsApplicable => NotApplicableReason is null;

    public static TargetPlan Run(params Type[] steps)
    {
        if (steps.Length == 0)
        {
            throw new ArgumentException("A target that applies has at least one step; use NotApplicable to say why it has none.", nameof(steps));
        }

        foreach (var step in steps)
        {
            if (!typeof(IPipelineStep).IsAssignableFrom(step) || step.IsAbstract)
            {
                throw new ArgumentException($"{step.FullName} is not a concrete {nameof(IPipelineStep)}.", nameof(steps));
            }
        }

        return new TargetPlan(steps, null);
    }

    public static TargetPlan Run<TStep>()
        where TStep : IPipelineStep => Run(typeof(TStep));

    public static TargetPlan NotApplicable(string reason) =>
        new([], string.IsNullOrWhiteSpace(reason) ? throw new ArgumentException("Say why the target does not apply.", nameof(reason)) : reason);
}
