using ImagePipeline.Abstractions;
using ImagePipeline.Core.Plugins;

namespace ImagePipeline.Core.Tests.Plugins;

public sealed class StrategyCatalogTests
{
    [Fact]
    public void A_named_strategy_is_added_beside_the_plain_one_and_found_by_its_name()
    {
        var catalog = new StrategyCatalog([new NamedStrategy(null), new NamedStrategy("tagged")]);

        catalog.Get(new StrategyKey(BackingStore.Ebs, Platform.Linux)).Key.Variant.Should().BeNull();
        catalog.Get(new StrategyKey(BackingStore.Ebs, Platform.Linux) { Variant = "tagged" }).Key.ToString().Should().Be("ebs/linux/tagged");
        catalog.Notices.Should().BeEmpty("adding is not replacing");
    }

    [Fact]
    public void An_unknown_strategy_name_is_an_input_error_naming_the_ones_that_exist()
    {
        var catalog = new StrategyCatalog([new NamedStrategy(null), new NamedStrategy("tagged")]);

        var get = () => catalog.Get(new StrategyKey(BackingStore.Ebs, Platform.Linux) { Variant = "taged" });

        get.Should().Throw<PipelineException>().Where(exception => exception.Kind == PipelineErrorKind.Input)
            .Which.Message.Should().Be("Unknown --strategy taged for ebs/linux; the named strategies are ebs/linux/tagged: pick one with --strategy (and its --backing-store/--platform), or load the plugin that adds it with --plugin PATH.");
    }

    [Fact]
    public void Two_plugins_adding_the_same_strategy_name_and_a_name_that_is_not_kebab_case_are_both_refused()
    {
        var create = () => new StrategyCatalog([new NamedStrategy("tagged"), new NamedStrategy("tagged"), new NamedStrategy("Tagged Strategy")]);

        create.Should().Throw<PluginLoadException>().Which.Problems.Should().SatisfyRespectively(
            duplicate => duplicate.Should().StartWith("Two plugins implement strategy ebs/linux/tagged:"),
            badName => badName.Should().Contain("names its strategy \"Tagged Strategy\": a strategy name is lower-case letters, digits and dashes"));
    }

    private sealed class NamedStrategy(string? variant) : IImageStrategy
    {
        public StrategyKey Key => new(BackingStore.Ebs, Platform.Linux) { Variant = variant };

        public string Description => "A strategy for the catalog's tests.";

        public IReadOnlyList<ParameterDefinition> Parameters => [];

        public TargetPlan Plan(PipelineTarget target, IParameterValues parameters) => TargetPlan.NotApplicable("tests only");
    }
}
