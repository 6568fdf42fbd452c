namespace ImagePipeline.LocalCloud.Storage;

/// <summary>An S3 object's metadata; the bytes live in the blob file <see cref="BlobName"/>.</summary>
public sealed class ObjectRecord
{
    public required string Key { get; set; }
    public required string BlobName { get; set; }
    public long Size { get; set; }

    /// <summary>Quoted, as S3 sends it.</summary>
    public required string ETag { get; set; }

    public DateTimeOffset LastModified { get; set; }
    public string ContentType { get; set; } = "binary/octet-stream";
    public string? CannedAcl { get; set; }

    /// <summary>AES256, aws:kms or aws:kms:dsse.</summary>
    public string ServerSideEncryption { get; set; } = "AES256";

    public string? SseKmsKeyId { get; set; }
    public string OwnerAccountId { get; set; } = "";
    public Dictionary<string, string> Metadata { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The part sizes of an object completed from a multipart upload (GetObject ?partNumber=N); null otherwise.</summary>
    public List<long>? PartSizes { get; set; }

    /// <summary>x-amz-checksum-* values stored with the object.</summary>
    public Dictionary<string, string> Checksums { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
