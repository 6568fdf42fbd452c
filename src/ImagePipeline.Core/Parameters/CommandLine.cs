namespace ImagePipeline.Core.Parameters;

/// <summary>
/// The command line as Nuke reads it: target names first, then <c>--kebab-name value...</c> options.
/// An option followed by no value is a switch; <c>--name=value</c> also works.
/// </summary>
public sealed class CommandLine
{
    private CommandLine(IReadOnlyList<string> targets, IReadOnlyList<CommandLineOption> options, IReadOnlyList<string> errors)
    {
        Targets = targets;
        Options = options;
        Errors = errors;
    }

    public IReadOnlyList<string> Targets { get; }

    public IReadOnlyList<CommandLineOption> Options { get; }

    public IReadOnlyList<string> Errors { get; }

    public bool Has(string name) => Options.Any(option => option.Name == name);

    public IEnumerable<string> ValuesOf(string name) => Options.Where(option => option.Name == name).SelectMany(option => option.Values);

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var targets = new List<string>();
        var options = new List<CommandLineOption>();
        var errors = new List<string>();
        CommandLineOption? current = null;

        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var body = arg[2..];
                var equals = body.IndexOf('=', StringComparison.Ordinal);
                var name = (equals >= 0 ? body[..equals] : body).ToLowerInvariant();
                current = new CommandLineOption(name);
                options.Add(current);
                if (equals >= 0)
                {
                    current.Values.Add(body[(equals + 1)..]);
                }
            }
            else if (arg.StartsWith('-') && arg.Length > 1 && !char.IsDigit(arg[1]))
            {
                errors.Add($"'{arg}' is not an option: options start with two dashes, like --{arg.TrimStart('-')}.");
                current = null;
            }
            else if (current is not null)
            {
                current.Values.Add(arg);
            }
            else if (options.Count == 0)
            {
                targets.Add(arg);
            }
            else
            {
                errors.Add($"'{arg}' follows no option; targets come first, before any --option.");
            }
        }

        return new CommandLine(targets, options, errors);
    }
}
