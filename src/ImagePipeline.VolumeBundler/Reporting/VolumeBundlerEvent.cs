using System.Text.Json.Serialization;
using ImagePipeline.Abstractions;

namespace ImagePipeline.VolumeBundler.Reporting;

/// <summary>
/// One line of the report on stdout. The <c>event</c> property comes first and says which kind it is. The host reads
/// these as they come: it uploads a part as soon as its <c>part</c> event arrives, and writes and signs the manifest from
/// the <c>result</c>.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "event")]
[JsonDerivedType(typeof(StartedEvent), "started")]
[JsonDerivedType(typeof(ProgressEvent), "progress")]
[JsonDerivedType(typeof(WarningEvent), "warning")]
[JsonDerivedType(typeof(PartEvent), "part")]
[JsonDerivedType(typeof(ResultEvent), "result")]
[JsonDerivedType(typeof(WrittenEvent), "written")]
[JsonDerivedType(typeof(ErrorEvent), "error")]
internal abstract record VolumeBundlerEvent;

/// <summary>The volume is checked and the image is about to be made.</summary>
internal sealed record StartedEvent(
    string Volume,
    string Name,
    string Destination,
    long ImageSize,
    string Partition,
    string Architecture,
    FileSystemReport FileSystem) : VolumeBundlerEvent;

/// <summary>Phase <c>copy</c> counts file bytes copied into the image; phase <c>bundle</c> counts image bytes bundled.</summary>
internal sealed record ProgressEvent(string Phase, long Bytes, long TotalBytes) : VolumeBundlerEvent;

internal sealed record WarningEvent(string Message) : VolumeBundlerEvent;

/// <summary>A part file complete and flushed to disk: upload it now.</summary>
internal sealed record PartEvent(int Index, string FileName, string Path, long Size, string Sha1Hex, string Md5Base64) : VolumeBundlerEvent;

/// <summary>The last event of a successful run: the bundle without its manifest, and what was copied.</summary>
internal sealed record ResultEvent(UnsignedBundle Bundle, FileSystemReport FileSystem, CopyReport Copied) : VolumeBundlerEvent;

/// <summary>The last event of a successful --output-device run: the device holds the image, unmounted.</summary>
internal sealed record WrittenEvent(string Device, long ImageSize, FileSystemReport FileSystem, CopyReport Copied) : VolumeBundlerEvent;

/// <summary>The last event of a failed run; <c>exitCode</c> is the process's (2: fix the input, 1: failed, 130/143: signal).</summary>
internal sealed record ErrorEvent(int ExitCode, string Message) : VolumeBundlerEvent;

internal sealed record FileSystemReport(string Type, string? Label, string? Uuid);

internal sealed record CopyReport(
    long Bytes,
    int Directories,
    int Files,
    int HardLinks,
    int Symlinks,
    int Specials,
    int Filtered,
    int Excluded,
    int SkippedMounts);
