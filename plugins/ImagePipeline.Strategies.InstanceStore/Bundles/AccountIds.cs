using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Parameters;

namespace ImagePipeline.Strategies.InstanceStore.Bundles;

/// <summary>The account id for the manifest: --account-id, or the caller's own account.</summary>
public static class AccountIds
{
    public static async Task<string> ResolveAsync(IParameterValues parameters, ICloudClients clients, CancellationToken cancellationToken) =>
        parameters.GetOrDefault(InstanceStoreParameters.AccountId) is { } given
            ? given.Replace("-", string.Empty, StringComparison.Ordinal)
            : (await clients.GetCallerIdentityAsync(cancellationToken)).AccountId;
}
