namespace ImagePipeline.Instances.Launching;

/// <summary>The key pair a run made to log in to its instance; the private key is only ever in <paramref name="PrivateKeyFile"/> (0600, the step's secrets folder).</summary>
public sealed record TemporaryKeyPair(string KeyName, string KeyPairId, string PrivateKeyFile);
