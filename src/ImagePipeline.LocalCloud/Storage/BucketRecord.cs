namespace ImagePipeline.LocalCloud.Storage;

/// <summary>An S3 bucket and its objects.</summary>
public sealed class BucketRecord
{
    public required string Name { get; set; }
    public required string Region { get; set; }
    public required string OwnerAccountId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>BucketOwnerEnforced (the AWS default since 2023: ACLs disabled), BucketOwnerPreferred or ObjectWriter.</summary>
    public string ObjectOwnership { get; set; } = "BucketOwnerEnforced";

    /// <summary>The PublicAccessBlockConfiguration XML as last put, or null.</summary>
    public string? PublicAccessBlockXml { get; set; }

    /// <summary>The ServerSideEncryptionConfiguration XML as last put, or null (AWS then reports SSE-S3).</summary>
    public string? EncryptionXml { get; set; }

    public SortedDictionary<string, ObjectRecord> Objects { get; set; } = new(StringComparer.Ordinal);
}
