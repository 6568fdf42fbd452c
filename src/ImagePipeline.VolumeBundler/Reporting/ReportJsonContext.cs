using System.Text.Json.Serialization;

namespace ImagePipeline.VolumeBundler.Reporting;

/// <summary>Source-generated JSON for the report: no reflection, so the trimmed single file keeps working.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(VolumeBundlerEvent))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
