namespace ImagePipeline.Abstractions;

/// <summary>
/// Writes and signs the manifest of a bundle made without the private key (on a live instance, which gets public
/// certificates only), here where the key is. Registered by the host; strategies take it from dependency injection.
/// </summary>
public interface IManifestSealer
{
    /// <summary>
    /// Checks that the key opens the bundle key (a bundle made for another certificate is refused with an input error),
    /// then writes <c>NAME.manifest.xml</c> whole into <paramref name="destinationDirectory"/>; returns its path.
    /// </summary>
    Task<string> WriteAsync(UnsignedBundle bundle, ManifestSealRequest request, string destinationDirectory, CancellationToken cancellationToken);
}
