namespace ImagePipeline.LocalCloud.Storage;

/// <summary>An EC2 key pair: only the public half is kept (EC2 never stores the private key it hands out).</summary>
public sealed class KeyPairRecord
{
    public required string KeyPairId { get; set; }
    public required string KeyName { get; set; }
    public required string OwnerAccountId { get; set; }

    /// <summary>rsa or ed25519.</summary>
    public required string KeyType { get; set; }

    public required string KeyFingerprint { get; set; }

    /// <summary>The public key in OpenSSH format (<c>ssh-rsa AAAA…</c>), as cloud-init writes it to authorized_keys.</summary>
    public required string PublicKey { get; set; }

    public DateTimeOffset CreateTime { get; set; }
    public List<Tag> Tags { get; set; } = [];
}
