using Microsoft.Extensions.Time.Testing;

namespace ImagePipeline.Testing;

/// <summary>
/// The clock a test's local cloud (and the pipeline under test) runs on: a <see cref="FakeTimeProvider"/> that only
/// moves when told. With <see cref="SkipsWaits"/>, a wait on it (Task.Delay: a poll's back-off, a retry's delay) moves
/// it forward by the wait at once, so a run that polls an image until it is available takes no real time, and the
/// cloud, reading the same clock, sees that time pass. A timer longer than <see cref="LongestSkippedWait"/> is a
/// deadline (the engine's 15-minute cleanup timeout), not a wait: it fires only when the clock gets there.
/// </summary>
public sealed class TestClock : FakeTimeProvider
{
    /// <summary>Where a test clock starts unless told otherwise, so that tests of the cloud see the same dates.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public TestClock()
        : this(Epoch)
    {
    }

    /// <summary>A clock from <paramref name="start"/>: the machine's time where what the run checks was made with it (certificates).</summary>
    public TestClock(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>Whether a wait moves the clock by its length at once, rather than waiting for the test to move it.</summary>
    public bool SkipsWaits { get; init; }

    /// <summary>Waits up to this long are skipped; polls and retries wait seconds, deadlines minutes.</summary>
    public TimeSpan LongestSkippedWait { get; init; } = TimeSpan.FromMinutes(1);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (SkipsWaits && dueTime > TimeSpan.Zero && dueTime <= LongestSkippedWait)
        {
            // On another thread: the waiter (Task.Delay) must have its timer in hand before the timer fires.
            _ = Task.Run(() => Advance(dueTime));
        }

        return timer;
    }
}
