using Microsoft.AspNetCore.Http;

namespace ImagePipeline.LocalCloud.Routing;

/// <summary>
/// What is needed to check the chunk signatures of a signed aws-chunked body: the request's signing key, date and
/// scope, and the header signature that seeds the chain. Stored on the request by the verifier.
/// </summary>
internal sealed record ChunkSigningContext(byte[] SigningKey, string AmzDate, string Scope, string SeedSignature)
{
    private const string ItemKey = "localcloud.chunk-signing";

    public void AttachTo(HttpContext context) => context.Items[ItemKey] = this;

    public static ChunkSigningContext? Of(HttpContext context) => context.Items[ItemKey] as ChunkSigningContext;
}
