namespace ImagePipeline.Samples.Tests.Output;

/// <summary>Reads $GITHUB_OUTPUT as the runner does: name=value lines and name&lt;&lt;DELIMITER heredocs.</summary>
internal static class GitHubOutputFile
{
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = File.ReadAllText(path).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            if (heredoc > 0)
            {
                var delimiter = line[(heredoc + 2)..];
                var value = new List<string>();
                for (i++; i < lines.Length && lines[i] != delimiter; i++)
                {
                    value.Add(lines[i]);
                }

                outputs[line[..heredoc]] = string.Join('\n', value);
            }
            else if (line.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals)
            {
                outputs[line[..equals]] = line[(equals + 1)..];
            }
        }

        return outputs;
    }
}
