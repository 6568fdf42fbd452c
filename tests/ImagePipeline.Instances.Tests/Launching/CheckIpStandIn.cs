using System.Net;
using System.Net.Sockets;

namespace ImagePipeline.Instances.Tests.Launching;

/// <summary>
/// A real HTTP server on 127.0.0.1 answering as checkip.amazonaws.com does (the address and a newline), or failing
/// every request with 503 when <c>answer</c> is null, so the address discovery is tested without the internet.
/// </summary>
public sealed class CheckIpStandIn : IDisposable
{
    private readonly HttpListener _listener = new();

    public CheckIpStandIn(string? answer)
    {
        var port = FreePort();
        Uri = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Uri.ToString());
        _listener.Start();
        _ = ServeAsync(answer);
    }

    public Uri Uri { get; }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync(string? answer)
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            context.Response.StatusCode = answer is null ? 503 : 200;
            if (answer is not null)
            {
                var body = System.Text.Encoding.ASCII.GetBytes(answer);
                await context.Response.OutputStream.WriteAsync(body);
            }

            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
