using System.Runtime.Versioning;

namespace ImagePipeline.Testing;

/// <summary>
/// The loopback sshd, recording what the client sends: every command line (commands.log) and every byte of every SFTP
/// session as the client sent it (sftp-in.bin: requests and the contents of uploaded files). Passes everything through
/// unchanged: commands run in sh, SFTP through OpenSSH's sftp-server.
/// </summary>
[SupportedOSPlatform("linux")]
public class RecordingLoopbackSshServer : LoopbackSshServer
{
    public string CommandLog => Path.Combine(Directory, "commands.log");

    public string SftpLog => Path.Combine(Directory, "sftp-in.bin");

    /// <summary>
    /// Makes the "instance" look like another machine to the next sessions: <c>uname -m</c> prints
    /// <paramref name="machine"/>, and with <paramref name="uid"/> <c>id -u</c> prints it (a user who is not root; this
    /// host has no sudo). Dispose to undo.
    /// </summary>
    public IDisposable Pretend(string? machine = null, int? uid = null)
    {
        var bin = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "pretend-bin")).FullName;
        if (machine is not null)
        {
            WriteScript(Path.Combine(bin, "uname"), $$"""
                #!/bin/sh
                [ "$1" = -m ] && { echo {{machine}}; exit 0; }; exec /usr/bin/uname "$@"

                """);
        }

        if (uid is not null)
        {
            WriteScript(Path.Combine(bin, "id"), $$"""
                #!/bin/sh
                [ "$1" = -u ] && { echo {{uid}}; exit 0; }; exec /usr/bin/id "$@"

                """);
        }

        return new Undo(() => System.IO.Directory.Delete(bin, recursive: true));
    }

    /// <summary>Everything the client sent: command lines and SFTP traffic.</summary>
    public byte[] Recorded() =>
        [.. File.Exists(CommandLog) ? File.ReadAllBytes(CommandLog) : [], .. File.Exists(SftpLog) ? File.ReadAllBytes(SftpLog) : []];

    protected override string ExtraConfiguration()
    {
        var script = Path.Combine(Directory, "record-session.sh");
        File.WriteAllText(script, $"""
            #!/bin/sh
            case "$SSH_ORIGINAL_COMMAND" in
              internal-sftp|*/sftp-server) exec sh -c 'tee -a "$1" | /usr/lib/openssh/sftp-server' sh '{SftpLog}' ;;
            esac
            printf '%s\n' "$SSH_ORIGINAL_COMMAND" >> '{CommandLog}'
            PATH="{Path.Combine(Directory, "pretend-bin")}:$PATH"; export PATH
            exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"

            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return $"ForceCommand {script}\n";
    }

    private static void WriteScript(string path, string text)
    {
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private sealed class Undo(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
