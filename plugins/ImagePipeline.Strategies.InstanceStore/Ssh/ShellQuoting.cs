namespace ImagePipeline.Strategies.InstanceStore.Ssh;

/// <summary>POSIX shell quoting, so that paths and names go into remote commands as single words.</summary>
public static class ShellQuoting
{
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
