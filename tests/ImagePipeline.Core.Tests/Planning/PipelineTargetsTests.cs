using ImagePipeline.Abstractions;
using ImagePipeline.Core.Planning;

namespace ImagePipeline.Core.Tests.Planning;

public sealed class PipelineTargetsTests
{
    [Fact]
    public void Each_pipeline_target_runs_the_ones_before_it()
    {
        PipelineTargets.UpTo(PipelineTargets.Parse("UploadBundle")).Select(target => target.ToString())
            .Should().Equal("LaunchInstance", "ProvisionInstance", "PrepareBucket", "CopyCertificates", "BundleVolume", "UploadBundle");
        PipelineTargets.UpTo(PipelineTargets.Parse("PrepareBucket")).Select(target => target.ToString()).Should().Equal("LaunchInstance", "ProvisionInstance", "PrepareBucket");
        PipelineTargets.UpTo(PipelineTargets.Parse("LaunchInstance")).Select(target => target.ToString()).Should().Equal("LaunchInstance");
    }

    [Fact]
    public void Target_names_are_matched_without_regard_to_case_or_kebab_spelling()
    {
        PipelineTargets.UpTo(PipelineTargets.Parse("registerimage")).Should().HaveCount(7);
        PipelineTargets.UpTo(PipelineTargets.Parse("copy-certificates")).Should().HaveCount(4);
        PipelineTargets.UpTo(PipelineTargets.Parse("provision-instance")).Should().HaveCount(2);
    }

    [Fact]
    public void An_unknown_target_is_refused_with_the_valid_targets_and_the_closest_one()
    {
        var order = () => PipelineTargets.Parse("RegistreImage");

        order.Should().Throw<PipelineException>().Which.Message.Should()
            .Contain("Unknown target 'RegistreImage' (did you mean RegisterImage?)")
            .And.Contain("LaunchInstance, ProvisionInstance, PrepareBucket, CopyCertificates, BundleVolume, UploadBundle, RegisterImage");
    }
}
