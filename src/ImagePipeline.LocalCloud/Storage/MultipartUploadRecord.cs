namespace ImagePipeline.LocalCloud.Storage;

/// <summary>A multipart upload in progress.</summary>
public sealed class MultipartUploadRecord
{
    public required string UploadId { get; set; }
    public required string Key { get; set; }
    public DateTimeOffset InitiatedAt { get; set; }
    public string ContentType { get; set; } = "binary/octet-stream";
    public string? CannedAcl { get; set; }

    /// <summary>AES256, aws:kms or aws:kms:dsse.</summary>
    public string ServerSideEncryption { get; set; } = "AES256";

    public string? SseKmsKeyId { get; set; }
    public string OwnerAccountId { get; set; } = "";
    public Dictionary<string, string> Metadata { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public SortedDictionary<int, PartRecord> Parts { get; set; } = [];
}

/// <summary>One uploaded part.</summary>
public sealed class PartRecord
{
    public int PartNumber { get; set; }
    public required string BlobName { get; set; }
    public long Size { get; set; }
    public required string ETag { get; set; }
    public DateTimeOffset LastModified { get; set; }
}
