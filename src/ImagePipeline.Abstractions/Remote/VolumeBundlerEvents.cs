using System.Text.Json;

namespace ImagePipeline.Abstractions;

/// <summary>
/// Reads the events every run of the volume bundler reports: one JSON object per line on its standard output,
/// <c>event</c> naming the kind (started, progress, warning, part, result, written, error; see docs/VOLUME-BUNDLER.md).
/// The instance is not trusted: a line that is not such an object is kept as plain output.
/// </summary>
public static class VolumeBundlerEvents
{
    /// <summary>The event's kind and body, or null when the line is not an event.</summary>
    public static (string Kind, JsonElement Body)? Parse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("event", out var kind) && kind.ValueKind == JsonValueKind.String
                ? (kind.GetString()!, document.RootElement.Clone())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A <c>progress</c> event: the phase (copy, bundle), the bytes done and the (estimated) total.</summary>
    public static (string Phase, long Bytes, long Total) Progress(JsonElement body) =>
        (body.GetProperty("phase").GetString() ?? string.Empty, body.GetProperty("bytes").GetInt64(), body.GetProperty("totalBytes").GetInt64());

    /// <summary>The message of a <c>warning</c> or <c>error</c> event.</summary>
    public static string Message(JsonElement body) => body.TryGetProperty("message", out var message) ? message.GetString() ?? string.Empty : string.Empty;

    /// <summary>The exit code an <c>error</c> event announces (2: fix the input).</summary>
    public static int ExitCode(JsonElement body) => body.TryGetProperty("exitCode", out var code) && code.TryGetInt32(out var value) ? value : 1;
}
