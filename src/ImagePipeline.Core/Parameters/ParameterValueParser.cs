using System.Globalization;
using System.Text.Json;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Parameters;

/// <summary>Turns text (command line, environment) or JSON (parameters file) into a parameter's typed value.</summary>
public static class ParameterValueParser
{
    /// <summary>Parses command-line or environment text; list parameters take several values or comma-separated ones.</summary>
    public static bool TryParse(ParameterDefinition definition, IReadOnlyList<string> texts, out object? value, out string? error)
    {
        var type = definition.ValueType;
        value = null;
        error = null;

        if (type == typeof(string[]))
        {
            value = texts.SelectMany(text => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
            return true;
        }

        if (type == typeof(bool) && texts.Count == 0)
        {
            value = true;
            return true;
        }

        if (texts.Count == 0 && definition.ValueWhenGivenAlone is { } alone)
        {
            texts = [alone];
        }

        if (texts.Count == 0)
        {
            error = $"--{definition.Name} needs a value ({definition.TypeName}).";
            return false;
        }

        if (texts.Count > 1)
        {
            error = $"--{definition.Name} takes one value, but was given {texts.Count}.";
            return false;
        }

        return TryParseScalar(definition, texts[0], out value, out error);
    }

    public static bool TryParse(ParameterDefinition definition, JsonElement json, out object? value, out string? error)
    {
        value = null;
        error = null;
        switch (json.ValueKind)
        {
            case JsonValueKind.Array when definition.ValueType == typeof(string[]):
                value = json.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText()).ToArray();
                return true;
            case JsonValueKind.True or JsonValueKind.False when definition.ValueType == typeof(bool):
                value = json.GetBoolean();
                return true;
            case JsonValueKind.String:
                return TryParse(definition, [json.GetString()!], out value, out error);
            case JsonValueKind.Number:
                return TryParse(definition, [json.GetRawText()], out value, out error);
            default:
                error = $"--{definition.Name} must be a {definition.TypeName}, not a JSON {json.ValueKind.ToString().ToLowerInvariant()}.";
                return false;
        }
    }

    private static bool TryParseScalar(ParameterDefinition definition, string text, out object? value, out string? error)
    {
        var type = definition.ValueType;
        value = null;
        error = null;
        var shown = definition.IsSecret ? "the value" : $"'{text}'";

        if (type == typeof(string))
        {
            value = text;
        }
        else if (type == typeof(int))
        {
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                value = number;
            }
        }
        else if (type == typeof(double))
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                value = number;
            }
        }
        else if (type == typeof(TimeSpan))
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
            {
                value = TimeSpan.FromSeconds(seconds);
            }
        }
        else if (type == typeof(bool))
        {
            value = text.ToLowerInvariant() switch
            {
                "true" or "1" or "yes" or "on" => true,
                "false" or "0" or "no" or "off" => false,
                _ => null,
            };
        }
        else if (type.IsEnum)
        {
            KebabCase.TryParse(type, text, out value);
        }

        if (value is null)
        {
            error = definition.AllowedValues.Count > 0
                ? $"--{definition.Name}: {shown} is not one of {string.Join(", ", definition.AllowedValues)}."
                : $"--{definition.Name}: {shown} is not {Article(definition.TypeName)} {definition.TypeName}.";
            return false;
        }

        return true;
    }

    private static string Article(string word) => "aeiou".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";

    /// <summary>The canonical text of a value, as saved with a run (never called for secrets).</summary>
    public static string Format(object value) => value switch
    {
        string[] list => string.Join(',', list),
        bool flag => flag ? "true" : "false",
        TimeSpan span => span.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        Enum member => KebabCase.From(member.ToString()),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
