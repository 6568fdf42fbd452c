using ImagePipeline.Abstractions;
using ImagePipeline.Core.Planning;

namespace ImagePipeline.Core.Tests.Planning;

public sealed class TargetGraphTests
{
    private readonly TargetGraph _pipeline = new(PipelineTargets.Definitions);

    [Fact]
    public void Each_pipeline_target_runs_the_ones_before_it()
    {
        _pipeline.Order("UploadBundle").Select(target => target.Name)
            .Should().Equal("PrepareBucket", "CopyCertificates", "BundleVolume", "UploadBundle");
        _pipeline.Order("PrepareBucket").Select(target => target.Name).Should().Equal("PrepareBucket");
    }

    [Fact]
    public void Target_names_are_matched_without_regard_to_case_or_kebab_spelling()
    {
        _pipeline.Order("registerimage").Should().HaveCount(5);
        _pipeline.Order("copy-certificates").Should().HaveCount(2);
    }

    [Fact]
    public void An_unknown_target_is_refused_with_the_valid_targets_and_the_closest_one()
    {
        var order = () => _pipeline.Order("RegistreImage");

        order.Should().Throw<PipelineException>().Which.Message.Should()
            .Contain("Unknown target 'RegistreImage' (did you mean RegisterImage?)")
            .And.Contain("PrepareBucket, CopyCertificates, BundleVolume, UploadBundle, RegisterImage");
    }

    [Fact]
    public void A_cycle_is_refused_with_the_cycle_named()
    {
        var create = () => new TargetGraph([new("A", "a", ["C"]), new("B", "b", ["A"]), new("C", "c", ["B"])]);

        create.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("A -> C -> B -> A");
    }
}
