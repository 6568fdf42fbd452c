using ImagePipeline.Core.Parameters;

namespace ImagePipeline.Output;

/// <summary>
/// Replaces every known secret value with *** in text on its way out. Defence in depth: secrets are kept out of
/// messages in the first place, and whatever slips through still never reaches the console or a file.
/// </summary>
internal sealed class SecretRedactor
{
    private const string Mask = "***";
    private readonly Lock _gate = new();
    private string[] _secrets = [];

    public IReadOnlyList<string> Secrets
    {
        get
        {
            lock (_gate)
            {
                return _secrets;
            }
        }
    }

    public void Add(IEnumerable<string> secrets)
    {
        lock (_gate)
        {
            // Longest first, so a secret that contains another is masked whole. Shorter parameter values are refused at
            // resolution; a shorter value from elsewhere would mask ordinary words, so it is not a secret worth the damage.
            _secrets = _secrets.Concat(secrets.Where(secret => secret.Length >= ParameterResolver.MinimumSecretLength)).Distinct(StringComparer.Ordinal)
                .OrderByDescending(secret => secret.Length).ToArray();
        }
    }

    public string Redact(string text)
    {
        var secrets = Secrets;
        foreach (var secret in secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }
}
