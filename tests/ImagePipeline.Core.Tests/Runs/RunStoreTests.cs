using ImagePipeline.Abstractions;
using ImagePipeline.Core.Runs;

namespace ImagePipeline.Core.Tests.Runs;

/// <summary>Run records: one holder at a time (issue 12, item 5) and no trust in what a record says (item 7).</summary>
public sealed class RunStoreTests : IDisposable
{
    private const string StepId = "CopyCertificates/StageKeysStep";
    private readonly string _directory = Directory.CreateTempSubdirectory("imagepipeline-runs-").FullName;
    private readonly RunStore _store;

    public RunStoreTests() => _store = new RunStore(_directory, TimeProvider.System);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_run_locked_by_one_holder_cannot_be_locked_by_another_until_it_is_released()
    {
        var runId = _store.NewRunId();

        using (var held = _store.TryLock(runId))
        {
            held.Should().NotBeNull();
            _store.TryLock(runId).Should().BeNull();
        }

        using var again = _store.TryLock(runId);
        again.Should().NotBeNull();
    }

    [Fact]
    public async Task A_record_that_names_another_run_is_refused()
    {
        var record = NewRecord(_store.NewRunId());
        await _store.SaveAsync(record, CancellationToken.None);
        var other = _store.NewRunId();
        File.Copy(Path.Combine(_directory, record.RunId + ".json"), Path.Combine(_directory, other + ".json"));

        var load = () => _store.Load(other);

        load.Should().Throw<PipelineException>().WithMessage($"*names itself '{record.RunId}'; the record was edited*");
    }

    [Fact]
    public void A_work_folder_that_is_a_symbolic_link_is_refused()
    {
        var runId = _store.NewRunId();
        Directory.CreateSymbolicLink(Path.Combine(_directory, runId), Directory.CreateTempSubdirectory("imagepipeline-elsewhere-").FullName);

        var work = () => _store.WorkDirectoryOf(runId);

        work.Should().Throw<PipelineException>().WithMessage("*is a symbolic link*");
    }

    public static TheoryData<string, bool> SweepCases => new()
    {
        // what the run left, whether its staged secrets go
        { "a dead run (lock free)", true },
        { "a live run (lock held)", false },
        { "a dead run whose secrets folder is a link elsewhere", true },
    };

    [Theory]
    [MemberData(nameof(SweepCases))]
    public async Task Stale_staged_secrets_of_dead_runs_are_swept_and_their_step_marked_for_re_running(string left, bool swept)
    {
        var record = NewRecord(_store.NewRunId());
        record.Steps[StepId] = StepStatus.Completed;
        await _store.SaveAsync(record, CancellationToken.None);
        var outside = Directory.CreateTempSubdirectory("imagepipeline-outside-").FullName;
        File.WriteAllText(Path.Combine(outside, "keep.txt"), "not the run's");
        var secrets = _store.SecretsDirectoryOf(record.RunId, StepId);
        if (left.Contains("link", StringComparison.Ordinal))
        {
            Directory.CreateSymbolicLink(Path.GetDirectoryName(secrets)!, outside);
        }
        else
        {
            Directory.CreateDirectory(Path.Combine(secrets, "x509-1"));
            File.WriteAllText(Path.Combine(secrets, "x509-1", "pk.pem"), "key");
        }

        var written = File.GetLastWriteTimeUtc(Path.Combine(_directory, record.RunId + ".json"));
        using var live = left.Contains("live", StringComparison.Ordinal) ? _store.TryLock(record.RunId) : null;

        var removed = await _store.SweepStaleSecretsAsync(held: null, CancellationToken.None);

        removed.Should().HaveCount(swept ? 1 : 0);
        File.Exists(Path.Combine(outside, "keep.txt")).Should().BeTrue("a link is removed, never followed");
        Directory.Exists(Path.Combine(secrets, "x509-1")).Should().Be(!swept && !left.Contains("link", StringComparison.Ordinal));
        if (!left.Contains("link", StringComparison.Ordinal))
        {
            _store.Load(record.RunId)!.Steps[StepId].Should().Be(swept ? StepStatus.Undone : StepStatus.Completed);
        }

        File.GetLastWriteTimeUtc(Path.Combine(_directory, record.RunId + ".json")).Should().Be(written, "sweeping a run must not make it the latest");
        Directory.Delete(outside, recursive: true);
    }

    private static RunRecord NewRecord(string runId) => new()
    {
        RunId = runId,
        CreatedAt = DateTimeOffset.UtcNow,
        Strategy = "instance-store/linux",
        Target = "CopyCertificates",
        Parameters = [],
    };
}
