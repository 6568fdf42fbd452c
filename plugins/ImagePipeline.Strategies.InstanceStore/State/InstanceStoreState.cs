using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.State;

namespace ImagePipeline.Strategies.InstanceStore.State;

/// <summary>
/// What the instance-store steps remember in run state. The names are saved in run files, so they stay stable.
/// Nothing here is secret: staged key files are remembered by path, never by content.
/// </summary>
public static class InstanceStoreState
{
    /// <summary>The bundle's name and key prefix, fixed by the first run so that a resumed run uses the same one.</summary>
    public static readonly StateKey<string> BundlePrefix = new("instance-store.bundle-prefix");

    /// <summary>The bucket this run created (and so may delete when it is undone).</summary>
    public static readonly StateKey<string> CreatedBucket = new("instance-store.created-bucket");

    /// <summary>The local folder the certificate and key were staged in.</summary>
    public static readonly StateKey<string> StagedCertificateDirectory = new("instance-store.staged-certificate-directory");

    /// <summary>The folder on the instance the certificate and key were copied to.</summary>
    public static readonly StateKey<string> RemoteCertificateDirectory = new("instance-store.remote-certificate-directory");

    /// <summary>The bundle written on this host.</summary>
    public static readonly StateKey<StoredBundle> Bundle = new("instance-store.bundle");

    /// <summary>The folder a bundle is being written to, set before bundling starts so a failed bundle can be removed.</summary>
    public static readonly StateKey<string> BundleDirectory = new("instance-store.bundle-directory");

    /// <summary>The bundle written on the instance by the live-volume bundle command.</summary>
    public static readonly StateKey<RemoteBundle> RemoteBundle = new("instance-store.remote-bundle");

    /// <summary>The bundle the builtin bundler wrote on the instance, with the manifest signed here.</summary>
    public static readonly StateKey<InstanceBundle> InstanceBundle = new("instance-store.instance-bundle");

    /// <summary>The bundle folder on the instance, when it did not exist before this run (so the run removes it).</summary>
    public static readonly StateKey<string> CreatedRemoteDestination = new("instance-store.created-remote-destination");

    /// <summary>How long uploading the parts overlapped bundling them (seconds), for the summary.</summary>
    public static readonly StateKey<double> UploadOverlapSeconds = new("instance-store.upload-overlap-seconds");

    /// <summary>The local folder a bundle was pulled into from the instance.</summary>
    public static readonly StateKey<string> PulledBundleDirectory = new("instance-store.pulled-bundle-directory");

    /// <summary>Object keys this run uploaded (and so may delete when it is undone).</summary>
    public static readonly StateKey<string[]> UploadedKeys = new("instance-store.uploaded-keys");

    /// <summary>
    /// True when another program uploaded for this run (ec2-upload-bundle on the instance) into a prefix this run found
    /// free just before: objects there without a run id in their metadata are then this run's to delete.
    /// </summary>
    public static readonly StateKey<bool> UnmarkedUploadsAreOurs = new("instance-store.unmarked-uploads-are-ours");

    /// <summary>The --bundle-prefix that already held a bundle when this run started with --force-deregister: removed once the new image is registered, and the new bundle goes to <see cref="BundlePrefix"/>.</summary>
    public static readonly StateKey<string> ReplacedBundlePrefix = new("instance-store.replaced-bundle-prefix");

    /// <summary>bucket/key of the manifest that RegisterImage reads.</summary>
    public static readonly StateKey<string> ManifestLocation = new("instance-store.manifest-location");

    /// <summary>The BundleInstance task this run started.</summary>
    public static readonly StateKey<string> BundleTaskId = new("instance-store.bundle-task-id");

    /// <summary>True once the bundle task completed (its output is then a finished bundle, kept for --resume).</summary>
    public static readonly StateKey<bool> BundleTaskCompleted = new("instance-store.bundle-task-completed");

    /// <summary>The image name, expanded once so that a resumed run registers under the same name.</summary>
    public static readonly StateKey<string> ImageName = new("instance-store.image-name");

    /// <summary>The image this run registered (and so may deregister when it is undone).</summary>
    public static readonly StateKey<string> RegisteredImageId = new("instance-store.registered-image-id");
}
