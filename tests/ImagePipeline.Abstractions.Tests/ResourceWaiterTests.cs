using ImagePipeline.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ImagePipeline.Abstractions.Tests;

public sealed class ResourceWaiterTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Polls_back_off_from_one_second_to_the_poll_delay_without_sleeping()
    {
        var polls = new List<TimeSpan>();
        var started = _time.GetUtcNow();
        var waiter = new ResourceWaiter(_time);

        var wait = waiter.WaitAsync(
            "image ami-1 to be available",
            _ =>
            {
                polls.Add(_time.GetUtcNow() - started);
                return Task.FromResult(polls.Count < 6 ? WaitProbe<string>.Pending("pending") : WaitProbe<string>.Done("ami-1"));
            },
            pollDelay: TimeSpan.FromSeconds(8),
            maxWait: TimeSpan.FromMinutes(10),
            progress: null,
            CancellationToken.None);
        while (!wait.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        (await wait).Should().Be("ami-1");
        var gaps = polls.Zip(polls.Skip(1), (earlier, later) => (later - earlier).TotalSeconds).ToArray();
        gaps.Should().HaveCount(5);
        gaps[0].Should().BeInRange(0.7, 1.3, "the first poll comes after about a second, with jitter");
        gaps[1].Should().BeInRange(1.5, 2.5);
        gaps[2].Should().BeInRange(3.1, 4.9);
        gaps[3].Should().BeInRange(6.3, 9.7, "then the delay is the poll delay, with jitter");
        gaps[4].Should().BeInRange(6.3, 9.7);
    }

    [Fact]
    public async Task A_failed_resource_reports_the_reason_aws_gave()
    {
        var waiter = new ResourceWaiter(_time);

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
        var waiter = new ResourceWaiter(_time);

        var wait = waiter.WaitAsync(
            "snapshot snap-1 to complete",
            _ => Task.FromResult(WaitProbe<bool>.Pending("pending (40%)", 40)),
            TimeSpan.FromSeconds(5),
            TimeSpan.FromSeconds(30),
            null,
            CancellationToken.None);
        while (!wait.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Yield();
        }

        var error = (await FluentActions.Awaiting(() => wait).Should().ThrowAsync<PipelineException>()).Which;
        error.Message.Should().Contain("snapshot snap-1 to complete").And.Contain("last state: pending (40%)").And.Contain("raise --max-wait");
        _time.GetUtcNow().Should().BeOnOrBefore(new FakeTimeProvider().GetUtcNow() + TimeSpan.FromSeconds(31));
    }
}
