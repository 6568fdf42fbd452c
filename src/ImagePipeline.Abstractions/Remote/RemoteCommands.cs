namespace ImagePipeline.Abstractions;

/// <summary>Pieces of POSIX shell that remote commands share.</summary>
public static class RemoteCommands
{
    /// <summary>
    /// Starts a remote shell command so that <c>$run</c> runs what follows as root: directly when the SSH user is root,
    /// else through <c>sudo -n</c> (never prompting), as /mnt, the bundle folder and package installs belong to root.
    /// </summary>
    public static string AsRoot { get; } = "if [ \"$(id -u)\" -eq 0 ]; then run=; else run='sudo -n'; fi; ";

    /// <summary>Quotes a value so that it reaches the remote command as one word, whatever it holds.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
