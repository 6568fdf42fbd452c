namespace ImagePipeline.Strategies.InstanceStore.Parameters;

/// <summary>What bundles a live instance's volume; typed as <c>builtin</c> or <c>ami-tools</c>.</summary>
public enum LiveVolumeBundler
{
    /// <summary>
    /// The plugin's own volume bundler, copied to the instance for the run: needs nothing installed there, gets public
    /// certificates only (the manifest is signed here), and reports each part as it is written so it is uploaded at once.
    /// </summary>
    Builtin,

    /// <summary>ec2-bundle-vol and ec2-upload-bundle, installed on the instance; the private key is copied there.</summary>
    AmiTools,
}
