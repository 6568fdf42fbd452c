using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Images;
using ImagePipeline.Strategies.Ebs.Parameters;
using ImagePipeline.Strategies.Ebs.State;

namespace ImagePipeline.Strategies.Ebs.Steps;

/// <summary>Grants launch permissions to --share-with-accounts and --share-with-org-arns. They go with the image when a failed run removes it.</summary>
public sealed class ShareImage(ICloudClients clients, ImagePublisher publisher) : IPipelineStep
{
    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var imageId = EbsState.HomeImageIdOf(context.State, clients.Region);
        var accounts = context.Parameters.Get(EbsParameters.ShareWithAccounts);
        var organizations = context.Parameters.Get(EbsParameters.ShareWithOrgArns);
        await publisher.ShareAsync(clients.Region, imageId, accounts, organizations, cancellationToken);
        context.Note = $"shared with {accounts.Length} account(s), {organizations.Length} organization(s)";
    }
}
