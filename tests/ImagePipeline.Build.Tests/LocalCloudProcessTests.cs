using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ImagePipeline.Host;

namespace ImagePipeline.Build.Tests;

/// <summary>The local cloud behind its process boundary: the host does not load it, starts it beside itself, and never leaves it running.</summary>
public sealed class LocalCloudProcessTests : IDisposable
{
    private readonly HostSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void The_host_references_neither_the_local_cloud_nor_asp_net_core()
    {
        var host = typeof(BuildHost).Assembly;

        host.GetReferencedAssemblies().Select(name => name.Name)
            .Should().NotContain(name => name == "ImagePipeline.LocalCloud" || name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        var runtimeConfig = File.ReadAllText(Path.Combine(Path.GetDirectoryName(HostSandbox.PluginsFolder)!, "_build.runtimeconfig.json"));
        runtimeConfig.Should().Contain("Microsoft.NETCore.App").And.NotContain("Microsoft.AspNetCore.App", "the host runs on the plain .NET runtime");
        File.Exists(HostSandbox.LocalCloudExecutable).Should().BeTrue("the build ships the local cloud in localcloud/ beside the host");
    }

    [Fact]
    public async Task The_local_cloud_prints_its_endpoint_in_one_line_and_stops_when_its_parent_closes_standard_input()
    {
        using var child = StartLocalCloud("--port", "0", "--state-dir", Path.Combine(_sandbox.Root, "state"), "--exit-when-stdin-closes");

        var ready = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
        var endpoint = new Uri(JsonDocument.Parse(ready!).RootElement.GetProperty("endpoint").GetString()!);
        endpoint.Host.Should().Be("127.0.0.1");
        IsListening(endpoint.Port).Should().BeTrue();

        child.StandardInput.Close();
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        child.ExitCode.Should().Be(0);
        IsListening(endpoint.Port).Should().BeFalse();
    }

    [Fact]
    public async Task The_local_cloud_stops_cleanly_when_its_parent_closes_standard_input_while_it_is_still_starting()
    {
        using var child = StartLocalCloud("--port", "0", "--state-dir", Path.Combine(_sandbox.Root, "state"), "--exit-when-stdin-closes");

        child.StandardInput.Close();
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        child.ExitCode.Should().Be(0, await child.StandardError.ReadToEndAsync());
    }

    [Fact]
    public async Task A_local_cloud_started_by_the_host_stops_when_the_host_is_killed()
    {
        var port = FreePort();
        using var host = new Process
        {
            StartInfo = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { Path.Combine(Path.GetDirectoryName(HostSandbox.PluginsFolder)!, "_build.dll"), "LocalCloud", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                WorkingDirectory = _sandbox.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        host.Start();
        var line = await host.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
        line.Should().Contain($"127.0.0.1:{port}");

        host.Kill();
        await host.WaitForExitAsync();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (IsListening(port) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        IsListening(port).Should().BeFalse("the local cloud must not outlive the host that started it, however the host ends");
    }

    private static Process StartLocalCloud(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostSandbox.LocalCloudExecutable);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    private static bool IsListening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
