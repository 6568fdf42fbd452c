using ImagePipeline.Abstractions;
using ImagePipeline.Core.Engine;
using ImagePipeline.Core.Runs;
using ImagePipeline.Core.Sessions;

namespace ImagePipeline.Core.Tests.Engine;

public sealed class StepEngineTests : IAsyncLifetime
{
    private readonly EngineFixture _fixture = new();

    private Script Script => _fixture.Script;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task A_target_runs_after_every_target_it_depends_on_in_order()
    {
        var result = await _fixture.RunAsync("BundleVolume", ["--label", "x"]);

        result.Outcome.Should().Be(RunOutcome.Succeeded);
        Script.Entries.Where(entry => entry.StartsWith("run", StringComparison.Ordinal))
            .Should().Equal("run PrepareStep", "run CopyStep", "run BundleStep");
        result.Targets.Select(target => target.Target).Should().Equal(
            PipelineTarget.LaunchInstance, PipelineTarget.ProvisionInstance, PipelineTarget.PrepareBucket, PipelineTarget.CopyCertificates, PipelineTarget.BundleVolume);
        result.Targets.Select(target => target.Status).Should().Equal(
            TargetStatus.NotApplicable, TargetStatus.NotApplicable, TargetStatus.Succeeded, TargetStatus.Succeeded, TargetStatus.Succeeded);
    }

    [Fact]
    public async Task When_a_step_fails_the_cleanups_of_the_steps_that_ran_are_called_in_reverse_order()
    {
        Script.FailingStep = nameof(BundleStep);

        var result = await _fixture.RunAsync("RegisterImage", []);

        result.Outcome.Should().Be(RunOutcome.Failed);
        result.Failure!.Message.Should().Contain("BundleStep failed on purpose");
        Script.Entries.Should().Equal(
            "run PrepareStep", "run CopyStep", "run BundleStep",
            "cleanup BundleStep Failed undo=True", "cleanup CopyStep Failed undo=True", "cleanup PrepareStep Failed undo=True");
        result.Targets.Select(target => target.Status).Should().Equal(
            TargetStatus.NotApplicable, TargetStatus.NotApplicable, TargetStatus.Succeeded, TargetStatus.Succeeded, TargetStatus.Failed, TargetStatus.Skipped, TargetStatus.Skipped);
    }

    [Fact]
    public async Task When_the_run_is_cancelled_the_cleanups_still_run_in_reverse_order()
    {
        using var cancellation = new CancellationTokenSource();
        Script.CancelAtStep = nameof(UploadStep);
        Script.Cancellation = cancellation;

        var result = await _fixture.RunAsync("RegisterImage", [], cancellationToken: cancellation.Token);

        result.Outcome.Should().Be(RunOutcome.Cancelled);
        Script.Entries.Where(entry => entry.StartsWith("cleanup", StringComparison.Ordinal)).Should().Equal(
            "cleanup UploadStep Cancelled undo=True", "cleanup BundleStep Cancelled undo=True", "cleanup CopyStep Cancelled undo=True", "cleanup PrepareStep Cancelled undo=True");
    }

    [Fact]
    public async Task A_failing_cleanup_is_reported_and_the_other_cleanups_still_run()
    {
        Script.FailingStep = nameof(UploadStep);
        Script.ThrowingCleanup = nameof(BundleStep);

        var result = await _fixture.RunAsync("RegisterImage", []);

        result.CleanupFailures.Should().ContainSingle().Which.StepId.Should().Be("BundleVolume/BundleStep");
        Script.Entries.Should().Contain("cleanup CopyStep Failed undo=True").And.Contain("cleanup PrepareStep Failed undo=True");
    }

    [Fact]
    public async Task After_a_successful_run_cleanups_are_told_to_keep_the_work()
    {
        var result = await _fixture.RunAsync("CopyCertificates", []);

        result.Outcome.Should().Be(RunOutcome.Succeeded);
        Script.Entries.Should().Contain("cleanup CopyStep Succeeded undo=False");
    }

    [Fact]
    public async Task Keep_on_failure_tells_the_cleanups_not_to_undo()
    {
        Script.FailingStep = nameof(CopyStep);

        await _fixture.RunAsync("RegisterImage", ["--keep-on-failure"]);

        Script.Entries.Should().Contain("cleanup PrepareStep Failed undo=False");
    }

    [Fact]
    public async Task The_run_is_saved_after_every_step_with_each_step_status_and_the_typed_state()
    {
        Script.FailingStep = nameof(UploadStep);

        var result = await _fixture.RunAsync("RegisterImage", ["--label", "first", "--keep-on-failure"]);

        var record = _fixture.Load(result.RunId);
        record.Steps.Should().Equal(new Dictionary<string, StepStatus>
        {
            ["PrepareBucket/PrepareStep"] = StepStatus.Completed,
            ["CopyCertificates/CopyStep"] = StepStatus.Completed,
            ["BundleVolume/BundleStep"] = StepStatus.Completed,
            ["UploadBundle/UploadStep"] = StepStatus.Failed,
            ["RegisterImage/RegisterStep"] = StepStatus.Pending,
        });
        record.Outcome.Should().Be(RunOutcome.Failed);
        RunState.FromJson(record.State).Get(ScriptKeys.Created).Should().Equal("PrepareStep", "CopyStep", "BundleStep");
        record.Parameters.Should().Contain("label", "first");
        Directory.GetFiles(_fixture.RunsDirectory, "*.tmp").Should().BeEmpty("saves are written to a temp file and renamed");
    }

    [Fact]
    public async Task A_resumed_run_continues_after_the_last_completed_step_and_keeps_the_state()
    {
        Script.FailingStep = nameof(UploadStep);
        var first = await _fixture.RunAsync("RegisterImage", ["--label", "same", "--keep-on-failure"]);
        Script.FailingStep = null;
        while (Script.Journal.TryDequeue(out _))
        {
        }

        var resumed = await _fixture.RunAsync("RegisterImage", ["--label", "same"], resume: first.RunId);

        resumed.Outcome.Should().Be(RunOutcome.Succeeded);
        resumed.RunId.Should().Be(first.RunId);
        Script.Entries.Where(entry => entry.StartsWith("run", StringComparison.Ordinal)).Should().Equal("run UploadStep", "run RegisterStep");
        resumed.Targets.Select(target => target.Status).Should().Equal(
            TargetStatus.NotApplicable, TargetStatus.NotApplicable, TargetStatus.Resumed, TargetStatus.Resumed, TargetStatus.Resumed, TargetStatus.Succeeded, TargetStatus.Succeeded);
        RunState.FromJson(_fixture.Load(first.RunId).State).Get(ScriptKeys.Created).Should().Equal("PrepareStep", "CopyStep", "BundleStep", "UploadStep", "RegisterStep");
    }

    [Fact]
    public async Task A_step_whose_cleanup_undid_its_work_runs_again_on_resume()
    {
        Script.FailingStep = nameof(UploadStep);
        var first = await _fixture.RunAsync("RegisterImage", []);
        Script.FailingStep = null;
        while (Script.Journal.TryDequeue(out _))
        {
        }

        await _fixture.RunAsync("RegisterImage", [], resume: "latest");

        Script.Entries.Where(entry => entry.StartsWith("run", StringComparison.Ordinal))
            .Should().Equal("run PrepareStep", "run CopyStep", "run BundleStep", "run UploadStep", "run RegisterStep");
        _fixture.Load(first.RunId).Outcome.Should().Be(RunOutcome.Succeeded);
    }

    [Fact]
    public async Task When_a_step_runs_again_on_resume_the_later_steps_of_its_target_run_again_too()
    {
        Script.FailingStep = nameof(UploadStep);
        var first = await _fixture.RunAsync("RegisterImage", ["--seal", "--keep-on-failure"]);
        var store = new RunStore(_fixture.RunsDirectory, TimeProvider.System);
        var record = store.Load(first.RunId)!;
        record.Steps["BundleVolume/BundleStep"] = StepStatus.Undone;
        await store.SaveAsync(record, CancellationToken.None);
        Script.FailingStep = null;
        while (Script.Journal.TryDequeue(out _))
        {
        }

        await _fixture.RunAsync("RegisterImage", ["--seal"], resume: first.RunId);

        Script.Entries.Where(entry => entry.StartsWith("run", StringComparison.Ordinal))
            .Should().Equal(["run BundleStep", "run SealStep", "run UploadStep", "run RegisterStep"], "SealStep worked on what BundleStep made, which is made anew");
    }

    [Fact]
    public async Task Resume_is_refused_with_the_changed_parameters_named()
    {
        Script.FailingStep = nameof(BundleStep);
        var first = await _fixture.RunAsync("RegisterImage", ["--label", "before", "--keep-on-failure"]);

        var resume = () => _fixture.RunAsync("RegisterImage", ["--label", "after"], resume: first.RunId);

        (await resume.Should().ThrowAsync<PipelineException>())
            .Which.Message.Should().Contain("--label was 'before', now 'after'").And.Contain("start a new run without --resume");
    }

    [Fact]
    public async Task Resume_without_a_saved_run_says_there_is_nothing_to_resume()
    {
        var resume = () => _fixture.RunAsync("RegisterImage", [], resume: "latest");

        (await resume.Should().ThrowAsync<PipelineException>()).Which.Message.Should().Contain("no saved run");
    }

    [Fact]
    public async Task Every_validation_error_is_reported_at_once_and_nothing_runs()
    {
        var run = () => _fixture.RunAsync("RegisterImage", ["--picky"]);

        var errors = (await run.Should().ThrowAsync<ValidationFailedException>()).Which.Errors;
        errors.Should().HaveCount(2);
        errors.Should().Contain(error => error.Contains("--label is required by the picky step", StringComparison.Ordinal));
        errors.Should().Contain("The picky step also dislikes the weather.");
        Script.Entries.Should().BeEmpty();
    }

    [Fact]
    public async Task Secret_parameters_are_not_saved_with_the_run()
    {
        var result = await _fixture.RunAsync("PrepareBucket", ["--api-token", "tok-SECRET-123", "--label", "visible"]);

        var saved = File.ReadAllText(Path.Combine(_fixture.RunsDirectory, result.RunId + ".json"));
        saved.Should().NotContain("tok-SECRET-123").And.Contain("visible");
    }
}
