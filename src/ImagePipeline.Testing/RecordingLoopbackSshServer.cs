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
    /// host has no sudo). With <paramref name="noLoopDevices"/>, what runs under <c>setsid</c> (the volume bundler) sees a
    /// /dev of its own without loop devices, as on a machine without the loop module. Dispose to undo.
    /// </summary>
    public IDisposable Pretend(string? machine = null, int? uid = null, bool noLoopDevices = false)
    {
        var bin = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "pretend-bin")).FullName;
        if (noLoopDevices)
        {
            WriteScript(Path.Combine(bin, "setsid"), """
                #!/bin/sh
                exec unshare --mount --propagation private /bin/sh -c 'mount -t tmpfs none /dev && mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/zero c 1 5 && mknod -m 666 /dev/urandom c 1 9 && mknod -m 666 /dev/random c 1 8 && exec /usr/bin/setsid "$@"' sh "$@"

                """);
        }

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
