using System.Text.Json;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Parameters;

/// <summary>
/// <c>.nuke/parameters.json</c> (or <c>.nuke/parameters.&lt;profile&gt;.json</c>, or the file given with
/// <c>--parameters-file</c>): an object of parameter names (kebab-case, or PascalCase as Nuke writes them) to values;
/// <c>$schema</c> is ignored.
/// </summary>
public sealed class ParametersFile
{
    private ParametersFile(string path, IReadOnlyDictionary<string, JsonElement> values, bool isShared)
    {
        Path = path;
        Values = values;
        IsShared = isShared;
    }

    public string Path { get; }

    /// <summary>
    /// True for the <c>.nuke/</c> files, which a Nuke build of the same repository also reads: a key that is not one of
    /// ours belongs to that build and is ignored, unless it is so close to one of ours that it is surely a typo.
    /// </summary>
    public bool IsShared { get; }

    public IReadOnlyDictionary<string, JsonElement> Values { get; }

    /// <summary>Reads the file; a missing file is an empty one, a malformed one is an input error naming the line.</summary>
    /// <param name="path">The file.</param>
    /// <param name="isShared">Whether other tools' keys may be in it (<see cref="IsShared"/>).</param>
    public static ParametersFile Load(string path, bool isShared = true)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (FileKinds.Of(path) == FileKind.Missing)
        {
            return new ParametersFile(path, values, isShared);
        }

        try
        {
            using var document = JsonDocument.Parse(InputFile.ReadAllText(path, path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
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

        return new ParametersFile(path, values, isShared);
    }
}
