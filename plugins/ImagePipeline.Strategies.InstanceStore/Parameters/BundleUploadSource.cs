namespace ImagePipeline.Strategies.InstanceStore.Parameters;

/// <summary>Where the parts of a live-volume bundle are uploaded from; typed as <c>instance</c> or <c>host</c>.</summary>
public enum BundleUploadSource
{
    /// <summary>The instance runs the upload command with its instance role, so no AWS secret leaves the host.</summary>
    Instance,

    /// <summary>The host pulls the parts over SFTP and uploads them with its own credentials.</summary>
    Host,
}
