using System.Collections.Concurrent;
using ImagePipeline.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ImagePipeline.Abstractions.Tests;

public sealed class ResourceWaiterTests
{
    private readonly RecordingClock _clock = new();

    [Fact]
    public async Task Polls_back_off_from_one_second_to_the_poll_delay_without_sleeping()
    {
        var polls = 0;
        var waiter = new ResourceWaiter(_clock);

        var wait = waiter.WaitAsync(
            "image ami-1 to be available",
            _ => Task.FromResult(++polls < 6 ? WaitProbe<string>.Pending("pending") : WaitProbe<string>.Done("ami-1")),
            pollDelay: TimeSpan.FromSeconds(8),
            maxWait: TimeSpan.FromMinutes(10),
            progress: null,
            CancellationToken.None);
        await _clock.RunUntilDoneAsync(wait);

        (await wait).Should().Be("ami-1");
        var delays = _clock.Delays.Select(delay => delay.TotalSeconds).ToArray();
        delays.Should().HaveCount(5);
        delays[0].Should().BeInRange(0.8, 1.2, "the first poll comes after about a second, with jitter");
        delays[1].Should().BeInRange(1.6, 2.4);
        delays[2].Should().BeInRange(3.2, 4.8);
        delays[3].Should().BeInRange(6.4, 9.6, "then the delay is the poll delay, with jitter");
        delays[4].Should().BeInRange(6.4, 9.6);
    }

    [Fact]
    public async Task A_failed_resource_reports_the_reason_aws_gave()
    {
        var waiter = new ResourceWaiter(_clock);

        var wait = () => waiter.WaitAsync(
            "image ami-2 to be available",
            _ => Task.FromResult(WaitProbe<string>.Failed("Client.InvalidManifest: the manifest cannot be read")),
            TimeSpan.FromSeconds(1),
            TimeSpan.FromMinutes(1),
            null,
            CancellationToken.None);

        (await wait.Should().ThrowAsync<PipelineException>()).Which.Message.Should()
            .Be("image ami-2 to be available failed: Client.InvalidManifest: the manifest cannot be read");
    }

    [Fact]
    public async Task Gives_up_after_the_longest_wait_with_the_last_state_and_the_fix()
    {
        var started = _clock.GetUtcNow();
        var waiter = new ResourceWaiter(_clock);

        var wait = waiter.WaitAsync(
            "snapshot snap-1 to complete",
            _ => Task.FromResult(WaitProbe<bool>.Pending("pending (40%)", 40)),
            TimeSpan.FromSeconds(5),
            TimeSpan.FromSeconds(30),
            null,
            CancellationToken.None);
        await _clock.RunUntilDoneAsync(wait);

        var error = (await FluentActions.Awaiting(() => wait).Should().ThrowAsync<PipelineException>()).Which;
        error.Message.Should().Contain("snapshot snap-1 to complete").And.Contain("last state: pending (40%)").And.Contain("raise --max-wait");
        (_clock.GetUtcNow() - started).Should().Be(TimeSpan.FromSeconds(30), "the last wait is cut to what is left of --max-wait");
    }

    /// <summary>A fake clock that records each delay asked of it and moves time by exactly that much, one at a time.</summary>
    private sealed class RecordingClock : FakeTimeProvider
    {
        private readonly ConcurrentQueue<TimeSpan> _pending = new();

        public List<TimeSpan> Delays { get; } = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
            {
                _pending.Enqueue(dueTime);
            }

            return base.CreateTimer(callback, state, dueTime, period);
        }

        public async Task RunUntilDoneAsync(Task work)
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!work.IsCompleted)
            {
                if (_pending.TryDequeue(out var delay))
                {
                    Delays.Add(delay);
                    Advance(delay);
                }
                else
                {
                    // The waiter has not asked for its next delay yet: give its continuation a moment of real time.
                    await Task.Delay(1, guard.Token);
                }
            }
        }
    }
}
