using System.Text.RegularExpressions;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Provisioning;

/// <summary>The parameters of ProvisionInstance: what to run and copy on the instance before it is captured.</summary>
public static partial class ProvisionParameters
{
    public static readonly Parameter<string[]> Scripts = new(
        "provision-script",
        "Scripts to run on the instance before it is captured, in the order given: as root over SSH (Linux, through sudo -n unless --ssh-user is root), as PowerShell through SSM Run Command (Windows). A non-zero exit stops the run.")
    { Default = [] };

    public static readonly Parameter<string[]> Files = new(
        "provision-file",
        "Files or folders to copy to the instance before the scripts run, as SRC=DEST: DEST is an absolute path there (its parents are created), a folder's contents land in DEST, owned by root with the local modes. Linux only.",
        ValidateFiles)
    { Default = [] };

    public static readonly Parameter<string[]> Environment = new(
        "provision-env",
        "Environment values for the provisioning scripts, as NAME=VALUE; shown in logs and kept with the run. Pass secrets with --provision-secret instead.",
        items => ValidateEnvironment("--provision-env", items))
    { Default = [] };

    public static readonly Parameter<string[]> SecretEnvironment = new(
        "provision-secret",
        "Secret environment values for the provisioning scripts, as NAME=VALUE (at least 8 characters each): masked in logs and outputs like --x509-key-passphrase, never saved with the run (give them again with --resume), and on Linux passed in a 0600 file rather than on a command line. On Windows SSM keeps them in its command history.",
        items => ValidateEnvironment("--provision-secret", items))
    { IsSecret = true };

    /// <summary>Every parameter ProvisionInstance reads, for <c>--help</c> and the schema.</summary>
    public static IReadOnlyList<ParameterDefinition> All { get; } = [Scripts, Files, Environment, SecretEnvironment];

    /// <summary>The <c>--provision-file</c> items as (local source, absolute destination on the instance).</summary>
    public static IReadOnlyList<(string Source, string Destination)> ParseFiles(IEnumerable<string> items) =>
        items.Select(item => item.Split('=', 2)).Select(pair => (pair[0].Trim(), pair[1].Trim())).ToArray();

    /// <summary>The scripts' environment: the <c>--provision-env</c> items, then the <c>--provision-secret</c> ones, as (name, value).</summary>
    public static IReadOnlyList<(string Name, string Value)> ParseEnvironment(IParameterValues parameters) =>
        [.. Parse(parameters.GetOrDefault(Environment) ?? []), .. Parse(parameters.GetOrDefault(SecretEnvironment) ?? [])];

    /// <summary>The names of the <c>--provision-secret</c> values (which may be shown; the values may not).</summary>
    public static string[] SecretNames(IParameterValues parameters) =>
        Parse(parameters.GetOrDefault(SecretEnvironment) ?? []).Select(pair => pair.Name).ToArray();

    /// <summary>A name given both as a plain and as a secret value, or null.</summary>
    public static string? NameGivenTwice(IParameterValues parameters) =>
        Parse(parameters.GetOrDefault(Environment) ?? []).Select(pair => pair.Name)
            .Intersect(SecretNames(parameters), StringComparer.Ordinal).FirstOrDefault();

    private static IEnumerable<(string Name, string Value)> Parse(IEnumerable<string> items) =>
        items.Select(item => item.Split('=', 2)).Select(pair => (pair[0].Trim(), pair[1]));

    private static string? ValidateFiles(string[] items)
    {
        foreach (var item in items)
        {
            var pair = item.Split('=', 2);
            if (pair.Length != 2 || pair[0].Trim().Length == 0 || !pair[1].Trim().StartsWith('/'))
            {
                return $"--provision-file '{item}' is not SRC=DEST with DEST an absolute path on the instance, for example ./app.conf=/etc/app/app.conf.";
            }
        }

        return null;
    }

    // The items' values may be secrets: a problem names the item by its position or its name, never its value.
    private static string? ValidateEnvironment(string option, string[] items)
    {
        var problems = new List<string>();
        foreach (var (item, index) in items.Select((item, index) => (item, index + 1)))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                problems.Add($"item {index} is not NAME=VALUE");
            }
            else if (!EnvironmentName().IsMatch(item[..equals].Trim()))
            {
                problems.Add($"item {index}: '{item[..equals].Trim()}' is not a variable name (letters, digits and _, not starting with a digit)");
            }
        }

        var repeated = items.Select(item => item.Split('=', 2)[0].Trim()).GroupBy(name => name, StringComparer.Ordinal).Where(group => group.Count() > 1).Select(group => group.Key).ToArray();
        if (repeated.Length > 0)
        {
            problems.Add($"{string.Join(", ", repeated)} given more than once");
        }

        return problems.Count == 0 ? null : $"{option}: {string.Join("; ", problems)}.";
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentName();
}
