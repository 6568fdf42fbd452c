namespace ImagePipeline.LocalCloud.Faults;

/// <summary>
/// Fault injection: rules are matched against every AWS call (never the control API) and every injection is recorded.
/// Thread-safe.
/// </summary>
public sealed class LocalCloudFaults
{
    private readonly Lock _gate = new();
    private readonly List<ActiveRule> _rules = [];
    private readonly List<FaultInjection> _injections = [];
    private readonly TimeProvider _timeProvider;

    internal LocalCloudFaults(TimeProvider timeProvider) => _timeProvider = timeProvider;

    /// <summary>Every fault injected since the last <see cref="Clear"/>.</summary>
    public IReadOnlyList<FaultInjection> Injections
    {
        get
        {
            lock (_gate)
            {
                return [.. _injections];
            }
        }
    }

    /// <summary>How many faults were injected since the last <see cref="Clear"/>.</summary>
    public int InjectedCount
    {
        get
        {
            lock (_gate)
            {
                return _injections.Count;
            }
        }
    }

    /// <summary>The rules in force.</summary>
    public IReadOnlyList<FaultRule> Rules
    {
        get
        {
            lock (_gate)
            {
                return [.. _rules.Select(r => r.Rule)];
            }
        }
    }

    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentOutOfRangeException.ThrowIfLessThan(rule.EveryNth, 1);
        if (rule.Kind == FaultKind.Bandwidth)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(rule.BytesPerSecond, 1);
        }

        lock (_gate)
        {
            _rules.Add(new ActiveRule(rule));
        }
    }

    /// <summary>Removes every rule and forgets the injections.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _injections.Clear();
        }
    }

    /// <summary>Decides what happens to one call: the added latency and at most one failing fault.</summary>
    internal FaultDecision Decide(string service, string operation)
    {
        lock (_gate)
        {
            var latency = TimeSpan.Zero;
            FaultKind? fault = null;
            BandwidthLimiter? bandwidth = null;
            foreach (var active in _rules)
            {
                var rule = active.Rule;
                if (rule.Kind == FaultKind.CommandFailure || !Matches(rule.Service, service) || !Matches(rule.Operation, operation))
                {
                    // A command failure never touches the HTTP call: SendCommand asks for it with TakeCommandFailure.
                    continue;
                }

                if (rule.MaxInjections is { } max && active.Injected >= max)
                {
                    continue;
                }

                // A failing fault is counted only against rules that could still inject it.
                if (rule.Kind is not FaultKind.Latency and not FaultKind.Bandwidth && fault is not null)
                {
                    continue;
                }

                active.Matched++;
                if (active.Matched % rule.EveryNth != 0)
                {
                    continue;
                }

                active.Injected++;
                _injections.Add(new FaultInjection(service, operation, rule.Kind, _timeProvider.GetUtcNow()));
                if (rule.Kind == FaultKind.Latency)
                {
                    latency += rule.Latency;
                }
                else if (rule.Kind == FaultKind.Bandwidth)
                {
                    bandwidth ??= active.Limiter;
                }
                else
                {
                    fault = rule.Kind;
                }
            }

            return new FaultDecision(latency, fault, bandwidth);
        }
    }

    /// <summary>
    /// The <see cref="FaultKind.CommandFailure"/> rule that makes this SSM command fail, if one is due (counted and
    /// recorded like any injection), else null.
    /// </summary>
    internal FaultRule? TakeCommandFailure(string commandText)
    {
        lock (_gate)
        {
            foreach (var active in _rules)
            {
                var rule = active.Rule;
                if (rule.Kind != FaultKind.CommandFailure || !Matches(rule.Service, "ssm") || !Matches(rule.Operation, "SendCommand")
                    || (rule.CommandContains is { } wanted && !commandText.Contains(wanted, StringComparison.Ordinal))
                    || (rule.MaxInjections is { } max && active.Injected >= max))
                {
                    continue;
                }

                active.Matched++;
                if (active.Matched % rule.EveryNth != 0)
                {
                    continue;
                }

                active.Injected++;
                _injections.Add(new FaultInjection("ssm", "SendCommand", rule.Kind, _timeProvider.GetUtcNow()));
                return rule;
            }

            return null;
        }
    }

    private static bool Matches(string? wanted, string actual) =>
        wanted is null || string.Equals(wanted, actual, StringComparison.OrdinalIgnoreCase);

    private sealed class ActiveRule(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;

        public BandwidthLimiter? Limiter { get; } = rule.Kind == FaultKind.Bandwidth ? new BandwidthLimiter(rule.BytesPerSecond) : null;
        public int Matched { get; set; }
        public int Injected { get; set; }
    }
}

/// <summary>What <see cref="LocalCloudFaults.Decide"/> chose for one call.</summary>
internal readonly record struct FaultDecision(TimeSpan Latency, FaultKind? Fault, BandwidthLimiter? Bandwidth = null);
