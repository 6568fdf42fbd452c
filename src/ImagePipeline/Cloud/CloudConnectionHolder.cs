using ImagePipeline.Aws;

namespace ImagePipeline.Cloud;

/// <summary>Hands the SDK settings to the container once the connection is open (parameters come first, clients after).</summary>
internal sealed class CloudConnectionHolder
{
    public CloudConnection? Connection { get; set; }

    public AwsCloudSettings Settings => Connection?.Settings ?? throw new InvalidOperationException("The cloud connection is used before it was opened.");
}
