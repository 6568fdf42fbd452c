namespace ImagePipeline.Abstractions;

/// <summary>Reports progress of long work (bundling, uploads, waits). The host renders bytes, rate and ETA.</summary>
public interface IProgressReporter
{
    /// <summary>Starts an activity; dispose the scope when it ends.</summary>
    /// <param name="activity">What is happening, for example "Bundling disk.img".</param>
    /// <param name="total">The total amount of work, when known.</param>
    /// <param name="unit">What the amounts count: bytes (rendered as MiB and MiB/s) or percent.</param>
    IProgressScope Start(string activity, long? total, ProgressUnit unit = ProgressUnit.Bytes);
}
