using System.Net;

namespace ImagePipeline.Instances.Launching;

/// <summary>This machine's public address as the internet sees it (checkip.amazonaws.com, as the AWS CLI docs do), for the temporary security group's SSH rule.</summary>
/// <param name="http">The client to ask with.</param>
/// <param name="service">Where to ask; <see cref="DefaultService"/> unless a test points it elsewhere.</param>
public sealed class PublicAddressLookup(HttpClient http, Uri? service = null)
{
    public static readonly Uri DefaultService = new("https://checkip.amazonaws.com/");

    /// <summary>Where the address is asked.</summary>
    public Uri Service { get; } = service ?? DefaultService;

    /// <summary>How long to wait for the answer: a build machine without internet must fail validation quickly.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The address as a /32 (or /128) CIDR block, or null when it cannot be found.</summary>
    public async Task<string?> FindCidrAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var text = (await http.GetStringAsync(Service, timeout.Token)).Trim();
            return IPAddress.TryParse(text, out var address)
                ? $"{address}/{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32)}"
                : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
