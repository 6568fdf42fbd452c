using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Provisioning;

/// <summary>The checks of the local inputs that both ways of provisioning share, and the masking of their output.</summary>
internal static class ProvisionInputs
{
    /// <summary>
    /// Every script exists; no name is both a plain and a secret value; on a resumed run, the <c>--provision-secret</c>
    /// names are the ones it started with (their values are not saved with the run and must be given again).
    /// </summary>
    public static void Validate(ValidationContext context)
    {
        foreach (var script in context.Parameters.Get(ProvisionParameters.Scripts))
        {
            // Scripts are streamed to the instance, so any size goes; a device or a pipe would stream forever.
            if (InputFile.Problem(script, $"--provision-script '{script}'", long.MaxValue) is { } problem)
            {
                context.AddError(problem);
            }
        }

        if (ProvisionParameters.NameGivenTwice(context.Parameters) is { } twice)
        {
            context.AddError($"{twice} is given both by --provision-env and by --provision-secret; give it once.");
        }

        if (context.ResumedState?.TryGet(ProvisionState.SecretNames, out var started) == true)
        {
            var now = ProvisionParameters.SecretNames(context.Parameters);
            if (!started.Order(StringComparer.Ordinal).SequenceEqual(now.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            {
                context.AddError(
                    $"--provision-secret: the run was started with {Describe(started)}, now {Describe(now)}; secret values are not saved with a run, so give the same --provision-secret values again to resume it.");
            }
        }
    }

    /// <summary>Replaces every secret value of the run in a line of output with ***.</summary>
    public static Func<string, string> Masking(IParameterValues parameters)
    {
        var secrets = parameters.SecretValues.Where(secret => secret.Length > 0).OrderByDescending(secret => secret.Length).ToArray();
        return line => secrets.Aggregate(line, (text, secret) => text.Replace(secret, "***", StringComparison.Ordinal));
    }

    private static string Describe(string[] names) => names.Length == 0 ? "no values" : string.Join(", ", names);
}
