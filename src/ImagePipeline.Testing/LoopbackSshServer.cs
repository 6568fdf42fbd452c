using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ImagePipeline.Abstractions;
using Xunit;

namespace ImagePipeline.Testing;

/// <summary>
/// A real OpenSSH server on 127.0.0.1 (a random port, a generated host key, one authorized key), standing in for an
/// instance that a step logs in to through <see cref="IRemoteShell"/> (<see cref="Endpoint"/>). It logs in as the user
/// running the tests. Needs Debian's openssh-server. An xunit fixture.
/// </summary>
public class LoopbackSshServer : IAsyncLifetime
{
    private const string Sshd = "/usr/sbin/sshd";
    private Process? _sshd;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("imagepipeline-sshd-").FullName;

    public int Port { get; private set; }

    public string User { get; } = Environment.UserName;

    public string ClientKeyPath => Path.Combine(Directory, "client_key");

    public string HostKeyFingerprint { get; private set; } = string.Empty;

    /// <summary>How to log in, as <see cref="InstanceSource.Ssh(StepContext)"/> gives it to a step, with the host key pinned.</summary>
    public SshEndpoint Endpoint => new("127.0.0.1", Port, User, ClientKeyPath) { HostKeyFingerprint = HostKeyFingerprint };

    public virtual async Task InitializeAsync()
    {
        if (!File.Exists(Sshd))
        {
            throw new InvalidOperationException($"{Sshd} is missing; install it with 'apt-get install -y openssh-server' (.ci/run does).");
        }

        await RunAsync("ssh-keygen", $"-q -t ed25519 -N \"\" -f {Path.Combine(Directory, "host_key")}");
        await RunAsync("ssh-keygen", $"-q -t ed25519 -N \"\" -f {ClientKeyPath}");
        File.Copy(ClientKeyPath + ".pub", Path.Combine(Directory, "authorized_keys"));
        var fingerprint = await RunAsync("ssh-keygen", $"-l -E sha256 -f {Path.Combine(Directory, "host_key.pub")}");
        HostKeyFingerprint = fingerprint.Split(' ')[1];

        // sshd's privilege separation wants this folder to exist.
        System.IO.Directory.CreateDirectory("/run/sshd");
        Port = FreePort();
        var config = Path.Combine(Directory, "sshd_config");
        var extra = ExtraConfiguration();
        await File.WriteAllTextAsync(config, extra + $"""
            Port {Port}
            ListenAddress 127.0.0.1
            HostKey {Path.Combine(Directory, "host_key")}
            AuthorizedKeysFile {Path.Combine(Directory, "authorized_keys")}
            PidFile {Path.Combine(Directory, "sshd.pid")}
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            StrictModes no
            UsePAM no
            Subsystem sftp internal-sftp
            """);
        _sshd = Process.Start(new ProcessStartInfo(Sshd, ["-D", "-e", "-f", config]) { RedirectStandardError = true, UseShellExecute = false })!;
        _sshd.ErrorDataReceived += (_, _) => { };
        _sshd.BeginErrorReadLine();
        await WaitUntilListeningAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (_sshd is { HasExited: false })
        {
            _sshd.Kill(entireProcessTree: true);
            await _sshd.WaitForExitAsync();
        }

        _sshd?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Not worth failing the run over.
        }
    }

    /// <summary>Lines put first in sshd_config (global options must precede the ones below).</summary>
    protected virtual string ExtraConfiguration() => string.Empty;

    public string Subdirectory(string name) => System.IO.Directory.CreateDirectory(Path.Combine(Directory, name)).FullName;

    private async Task WaitUntilListeningAsync()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (_sshd!.HasExited)
            {
                throw new InvalidOperationException($"sshd exited with {_sshd.ExitCode}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException("sshd did not start listening.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} {arguments} failed: {await process.StandardError.ReadToEndAsync()}");
    }
}
