using System.Text;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Bundling.Manifests;

/// <summary>
/// Puts a signed manifest on disk for both bundlers: written beside its final path and then moved there, so a manifest
/// on disk is always whole and always belongs to complete parts, and never over a file this call did not write.
/// </summary>
internal static class ManifestFile
{
    public static async Task WriteNewAsync(string manifestPath, string text, CancellationToken cancellationToken)
    {
        if (File.Exists(manifestPath))
        {
            // An earlier attempt of the same run sealed the same bundle with the same key: the signature is deterministic.
            if (await File.ReadAllTextAsync(manifestPath, cancellationToken).ConfigureAwait(false) == text)
            {
                return;
            }

            throw PipelineException.Input($"'{manifestPath}' already exists and is another manifest; nothing was written over it. Remove it, or choose another bundle name or destination.");
        }

        var inProgress = manifestPath + ".inprogress";

        // CreateNew: a file of that name that this call did not make is neither truncated nor, on failure, deleted.
        var stream = new FileStream(inProgress, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        try
        {
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
            }

            File.Move(inProgress, manifestPath, overwrite: false);
        }
        catch
        {
            File.Delete(inProgress);
            throw;
        }
    }
}
