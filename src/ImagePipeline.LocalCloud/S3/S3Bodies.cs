using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.S3;

/// <summary>Reads the small XML bodies of configuration and multi-object requests, decoding aws-chunked if used.</summary>
internal static class S3Bodies
{
    private const int MaxConfigurationBody = 2 * 1024 * 1024;

    public static async Task<byte[]> ReadAllAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        if (context.Request.Headers["x-amz-content-sha256"].ToString().StartsWith("STREAMING-", StringComparison.Ordinal))
        {
            var reader = new ChunkedBodyReader(context.Request.Body, Routing.ChunkSigningContext.Of(context));
            await reader.CopyDecodedAsync((chunk, ct) => buffer.WriteAsync(chunk, ct), cancellationToken);
        }
        else
        {
            await context.Request.Body.CopyToAsync(buffer, cancellationToken);
        }

        if (buffer.Length > MaxConfigurationBody)
        {
            throw S3Errors.MalformedXml();
        }

        return buffer.ToArray();
    }
}
