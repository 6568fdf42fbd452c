using ImagePipeline.Abstractions;

namespace ImagePipeline.Abstractions.Tests;

public sealed class RunStateTests
{
    private static readonly StateKey<string> Bucket = new("test.bucket");
    private static readonly StateKey<string[]> Keys = new("test.keys");
    private static readonly StateKey<Dictionary<string, string>> Images = new("test.images");

    [Fact]
    public void Typed_values_survive_a_save_and_load_without_casts()
    {
        var state = new RunState();
        state.Set(Bucket, "my-bundles");
        state.Set(Keys, ["a.part.0", "a.part.1"]);
        state.Set(Images, new Dictionary<string, string> { ["us-east-1"] = "ami-1" });

        var loaded = RunState.FromJson(System.Text.Json.Nodes.JsonNode.Parse(state.ToJson().ToJsonString())!.AsObject());

        loaded.Get(Bucket).Should().Be("my-bundles");
        loaded.Get(Keys).Should().Equal("a.part.0", "a.part.1");
        loaded.Get(Images).Should().ContainKey("us-east-1").WhoseValue.Should().Be("ami-1");
    }

    [Fact]
    public void Reading_a_value_no_step_has_set_names_the_key()
    {
        var read = () => new RunState().Get(Bucket);

        read.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("test.bucket");
        new RunState().GetOrDefault(Bucket, "fallback").Should().Be("fallback");
    }
}
