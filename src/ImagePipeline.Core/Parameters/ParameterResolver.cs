using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Parameters;

/// <summary>
/// Resolves every parameter by precedence: command line &gt; environment (IMAGEPIPELINE_*) &gt; profile file &gt;
/// parameters file &gt; fallback values (a resumed run's, or the offline demo's) &gt; defaults. Every problem is collected, so users see them all at once.
/// </summary>
public static class ParameterResolver
{
    /// <summary>
    /// Secrets are masked wherever people read output; a shorter value would be masked inside ordinary words (a region,
    /// an image id) and so both corrupt the output and give the secret away. Such a value is refused instead.
    /// </summary>
    public const int MinimumSecretLength = 8;

    /// <summary>
    /// How far (in edits) a key of a shared .nuke/ file may be from one of ours to count as a typo of it rather than another
    /// tool's key: one edit in a name of 4 to 7 letters, two from 8 (Nuke's "Host" and "Root" are not typos of "port").
    /// </summary>
    public static int SharedFileTypoDistance(string name) => Math.Min(2, name.Length / 4);

    public static ResolvedParameters Resolve(
        ParameterCatalog catalog,
        ParameterInputs inputs,
        IReadOnlyDictionary<string, string>? fallbackValues = null,
        ParameterSource fallbackSource = ParameterSource.ResumedRun)
    {
        var errors = new List<string>(inputs.CommandLine.Errors);
        var values = new Dictionary<string, ResolvedValue>(StringComparer.Ordinal);

        foreach (var option in inputs.CommandLine.Options.Select(option => option.Name).Distinct())
        {
            if (catalog.Find(option) is null)
            {
                var hint = catalog.ClosestName(option);
                errors.Add(hint is null
                    ? $"Unknown parameter --{option}; --help lists them all."
                    : $"Unknown parameter --{option}; did you mean --{hint}?");
            }
        }

        foreach (var file in new[] { inputs.GivenFile, inputs.ProfileFile, inputs.BaseFile })
        {
            foreach (var name in file?.Values.Keys ?? [])
            {
                if (catalog.Find(name) is not null)
                {
                    continue;
                }

                // A shared .nuke/ file also holds the keys of the repository's own Nuke build ("Solution"): those are not
                // ours, but a key one typo away from one of ours is still caught.
                var hint = catalog.ClosestName(name, file!.IsShared ? SharedFileTypoDistance(name) : null);
                if (hint is not null || !file.IsShared)
                {
                    errors.Add($"Unknown parameter \"{name}\" in {file.Path}" + (hint is null ? "; --help lists them all." : $"; did you mean \"{hint}\"?"));
                }
            }
        }

        foreach (var definition in catalog.All)
        {
            var resolved = ResolveOne(definition, inputs, fallbackValues, fallbackSource, errors);
            if (resolved is null)
            {
                continue;
            }

            var problem = definition.ValidateValue(resolved.Value) ?? SecretProblem(definition, resolved.Value);
            if (problem is not null)
            {
                errors.Add(problem);
                continue;
            }

            values[definition.Name] = resolved;
        }

        return new ResolvedParameters(catalog, values, errors);
    }

    /// <summary>
    /// The secret texts in a secret parameter's value: a string whole; each item of a list, and of a NAME=VALUE item
    /// only the VALUE (the name may be shown, as <c>--provision-secret</c>'s are).
    /// </summary>
    internal static IEnumerable<string> SecretsIn(object value) => value switch
    {
        string text => [text],
        string[] items => items.Select(item => item.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0 ? item[(equals + 1)..] : item),
        _ => [],
    };

    private static string? SecretProblem(ParameterDefinition definition, object value) =>
        !definition.IsSecret ? null
        : value is string { Length: < MinimumSecretLength }
            ? $"--{definition.Name} is shorter than {MinimumSecretLength} characters, too short to keep out of logs: it would be masked inside ordinary words and give itself away; use a value of {MinimumSecretLength} characters or more."
        : value is string[] && SecretsIn(value).Any(secret => secret.Length < MinimumSecretLength)
            ? $"--{definition.Name} has a value shorter than {MinimumSecretLength} characters ({string.Join(", ", ShortItemNames((string[])value))}), too short to keep out of logs: it would be masked inside ordinary words and give itself away; use values of {MinimumSecretLength} characters or more, and give settings that are not secret another way."
        : null;

    private static IEnumerable<string> ShortItemNames(string[] items) =>
        items.Select((item, index) => (Item: item, Position: index + 1))
            .Where(entry => SecretsIn(new[] { entry.Item }).Single().Length < MinimumSecretLength)
            .Select(entry => entry.Item.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0 ? entry.Item[..equals] : $"item {entry.Position}");

    private static ResolvedValue? ResolveOne(
        ParameterDefinition definition,
        ParameterInputs inputs,
        IReadOnlyDictionary<string, string>? fallbackValues,
        ParameterSource fallbackSource,
        List<string> errors)
    {
        if (inputs.CommandLine.Has(definition.Name))
        {
            return Parsed(definition, inputs.CommandLine.ValuesOf(definition.Name).ToArray(), ParameterSource.CommandLine, "the command line", errors);
        }

        foreach (var variable in new[] { definition.EnvironmentVariable }.Concat(definition.FallbackEnvironmentVariables))
        {
            if (inputs.Environment.TryGetValue(variable, out var text) && text.Length > 0)
            {
                return Parsed(definition, [text], ParameterSource.Environment, variable, errors);
            }
        }

        foreach (var (file, source) in new[] { (inputs.GivenFile, ParameterSource.GivenFile), (inputs.ProfileFile, ParameterSource.ProfileFile), (inputs.BaseFile, ParameterSource.ParametersFile) })
        {
            if (file is not null && file.Values.TryGetValue(definition.Name, out var json))
            {
                if (ParameterValueParser.TryParse(definition, json, out var value, out var error))
                {
                    return new ResolvedValue(value!, source);
                }

                errors.Add($"{error} (in {file.Path})");
                return null;
            }
        }

        if (fallbackValues is not null && fallbackValues.TryGetValue(definition.Name, out var saved))
        {
            return Parsed(definition, [saved], fallbackSource, fallbackSource == ParameterSource.ResumedRun ? "the resumed run" : "the offline demo defaults", errors);
        }

        return null;
    }

    private static ResolvedValue? Parsed(ParameterDefinition definition, IReadOnlyList<string> texts, ParameterSource source, string origin, List<string> errors)
    {
        if (ParameterValueParser.TryParse(definition, texts, out var value, out var error))
        {
            return new ResolvedValue(value!, source);
        }

        errors.Add(source == ParameterSource.CommandLine ? error! : $"{error} (from {origin})");
        return null;
    }
}
