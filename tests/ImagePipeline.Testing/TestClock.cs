using Microsoft.Extensions.Time.Testing;

namespace ImagePipeline.Testing;

/// <summary>
/// The clock a test's local cloud (and the pipeline under test) runs on: a <see cref="FakeTimeProvider"/> that only
/// moves when told. With <see cref="SkipsWaits"/>, every wait on it (Task.Delay, a poll's back-off) moves it forward by
/// the wait at once, so a run that polls an image until it is available takes no real time, and the cloud, reading the
/// same clock, sees that time pass.
/// </summary>
public sealed class TestClock : FakeTimeProvider
{
    /// <summary>Where every test clock starts, so that tests see the same dates.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public TestClock()
        : base(Epoch)
    {
    }

    /// <summary>Whether a wait moves the clock by its length at once, rather than waiting for the test to move it.</summary>
    public bool SkipsWaits { get; init; }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (SkipsWaits && dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            // On another thread: the waiter (Task.Delay) must have its timer in hand before the timer fires.
            _ = Task.Run(() => Advance(dueTime));
        }

        return timer;
    }
}
