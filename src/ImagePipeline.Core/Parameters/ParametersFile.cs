using System.Text.Json;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Parameters;

/// <summary>
/// <c>.nuke/parameters.json</c> (or <c>.nuke/parameters.&lt;profile&gt;.json</c>): an object of parameter names
/// (kebab-case, or PascalCase as Nuke writes them) to values; <c>$schema</c> is ignored.
/// </summary>
public sealed class ParametersFile
{
    private ParametersFile(string path, IReadOnlyDictionary<string, JsonElement> values)
    {
        Path = path;
        Values = values;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, JsonElement> Values { get; }

    /// <summary>Reads the file; a missing file is an empty one, a malformed one is an input error naming the line.</summary>
    public static ParametersFile Load(string path)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return new ParametersFile(path, values);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw PipelineException.Input($"{path} must hold a JSON object of parameter names to values, like {{ \"bucket\": \"my-bundles\" }}.");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name.StartsWith('$'))
                {
                    continue;
                }

                var name = property.Name.Any(char.IsUpper) ? KebabCase.From(property.Name) : property.Name;
                values[name] = property.Value.Clone();
            }
        }
        catch (JsonException exception)
        {
            throw PipelineException.Input(
                $"{path} is not valid JSON (line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1}): fix or delete the file.", exception);
        }

        return new ParametersFile(path, values);
    }
}
