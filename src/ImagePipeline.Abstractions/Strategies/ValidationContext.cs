namespace ImagePipeline.Abstractions;

/// <summary>
/// Collects every validation error of a run before anything executes, so the user sees them all at once.
/// </summary>
public sealed class ValidationContext(
    StrategyKey strategy,
    IReadOnlyList<PipelineTarget> targets,
    IParameterValues parameters)
{
    private readonly List<string> _errors = [];
    private readonly HashSet<string> _missing = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public StrategyKey Strategy { get; } = strategy;

    /// <summary>The targets that will run, in order.</summary>
    public IReadOnlyList<PipelineTarget> Targets { get; } = targets;

    public IParameterValues Parameters { get; } = parameters;

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_gate)
            {
                return _errors.ToArray();
            }
        }
    }

    /// <summary>
    /// The saved state of the run being resumed (<c>--resume</c>), or null for a new run. Read it to tell this run's own
    /// resources (an image it registered before it was interrupted) from someone else's; do not change it.
    /// </summary>
    public RunState? ResumedState { get; init; }

    /// <summary>
    /// The work folder of the run being resumed, or null for a new run. A path read back from <see cref="ResumedState"/>
    /// is the record's word, which anyone who can write the record can change: check it lies inside this folder before
    /// anything is deleted there.
    /// </summary>
    public string? ResumedWorkDirectory { get; init; }

    public bool WillRun(PipelineTarget target) => Targets.Contains(target);

    /// <summary>One sentence that says what is wrong and how to fix it.</summary>
    public void AddError(string message)
    {
        lock (_gate)
        {
            if (!_errors.Contains(message))
            {
                _errors.Add(message);
            }
        }
    }

    /// <summary>
    /// Adds an error when a parameter the step needs has no value; returns whether it has one. Several steps may need
    /// the same parameter for different reasons: the first one's reason is reported, once.
    /// </summary>
    public bool Require(ParameterDefinition parameter, string why)
    {
        if (Parameters.IsSet(parameter) || HasDefault(parameter))
        {
            return true;
        }

        lock (_gate)
        {
            if (!_missing.Add(parameter.Name))
            {
                return false;
            }
        }

        AddError($"{parameter} is required {why}: pass {parameter} VALUE, set {parameter.EnvironmentVariable}, or add \"{parameter.Name}\" to .nuke/parameters.json.");
        return false;
    }

    private static bool HasDefault(ParameterDefinition parameter) => parameter.HasDeclaredDefault;
}
