using ImagePipeline.Abstractions;
using ImagePipeline.Output;
using ImagePipeline.Core.Engine;

namespace ImagePipeline.Samples.Tests.Output;

public sealed class SummaryTableTests
{
    [Fact]
    public void A_pipe_in_a_note_or_an_output_does_not_split_the_job_summary_row()
    {
        var result = new RunResult(
            "run-1",
            RunOutcome.Succeeded,
            [new TargetResult(PipelineTarget.RegisterImage, TargetStatus.Succeeded, TimeSpan.FromSeconds(1), "a|b")],
            new Dictionary<string, string> { ["note-ish"] = "x|y" },
            null,
            []);

        var markdown = SummaryTable.Markdown(result, "ebs/linux", isLocalCloud: false);

        markdown.Should().Contain("| RegisterImage | succeeded | 0:01.00 | a\\|b |");
        markdown.Should().Contain("| note-ish | `x\\|y` |");
    }
}
