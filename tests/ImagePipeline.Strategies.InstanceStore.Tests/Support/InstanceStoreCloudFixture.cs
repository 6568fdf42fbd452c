using ImagePipeline.Testing;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>
/// The local cloud the collection's pipelines run against (<see cref="PipelineCloudFixture"/>), plus test keys made
/// once. Tests keep apart by using their own bucket and image names.
/// </summary>
public class InstanceStoreCloudFixture : PipelineCloudFixture
{
    public TestKeys Keys { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Keys = TestKeys.Create(Subdirectory("keys"));
        await base.InitializeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class LocalCloudCollection : ICollectionFixture<InstanceStoreCloudFixture>
{
    public const string Name = "local cloud";
}
