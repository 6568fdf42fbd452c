using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.InstanceStore.State;

/// <summary>
/// A bundle the builtin bundler wrote on the instance (its parts in <paramref name="RemoteDirectory"/> there), and the
/// manifest this host wrote and signed for it. Holds no secret: the bundle key is in it only encrypted.
/// </summary>
public sealed record InstanceBundle(UnsignedBundle Bundle, string RemoteDirectory, string ManifestPath);
