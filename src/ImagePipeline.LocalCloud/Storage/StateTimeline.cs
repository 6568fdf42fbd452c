namespace ImagePipeline.LocalCloud.Storage;

/// <summary>One scheduled state of a resource: from <see cref="At"/> on, the resource is in <see cref="State"/>.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string State);

/// <summary>
/// States are never flipped by a timer: a resource keeps the list of states it is scheduled to pass through and its
/// current state is read off the clock. That keeps a fake clock in charge and survives restarts.
/// </summary>
public sealed class StateTimeline
{
    public List<TimelineEntry> Entries { get; set; } = [];

    public static StateTimeline Starting(DateTimeOffset now, string state)
    {
        var timeline = new StateTimeline();
        timeline.Entries.Add(new TimelineEntry(now, state));
        return timeline;
    }

    /// <summary>The state in force at <paramref name="now"/>.</summary>
    public string StateAt(DateTimeOffset now) => EntryAt(now).State;

    /// <summary>The entry in force at <paramref name="now"/>.</summary>
    public TimelineEntry EntryAt(DateTimeOffset now)
    {
        var current = Entries[0];
        foreach (var entry in Entries)
        {
            if (entry.At <= now)
            {
                current = entry;
            }
        }

        return current;
    }

    /// <summary>Drops whatever was still scheduled and schedules new states relative to now.</summary>
    public void Schedule(DateTimeOffset now, params (TimeSpan After, string State)[] steps)
    {
        Entries.RemoveAll(e => e.At > now);
        foreach (var (after, state) in steps)
        {
            Entries.Add(new TimelineEntry(now + after, state));
        }
    }
}
