using System.Security.Cryptography;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Bundles;
using ImagePipeline.Strategies.InstanceStore.Certificates;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.State;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.InstanceStore.Steps;

/// <summary>
/// CopyCertificates for a local image: copies the certificate and key into a folder only the user can read (0700,
/// files 0600) in the run's work directory, away from anything bundled. The copies are removed whenever the run ends,
/// successful or not, even with --keep-on-failure: a private key is never left behind.
/// </summary>
public sealed class StageCertificatesLocally : IPipelineStep
{
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var hasCertificate = context.Require(InstanceStoreParameters.X509CertPath, "to sign and encrypt the bundle");
        var hasKey = context.Require(InstanceStoreParameters.X509KeyPath, "to sign the bundle");
        foreach (var (parameter, has) in new[] { (InstanceStoreParameters.X509CertPath, hasCertificate), (InstanceStoreParameters.X509KeyPath, hasKey) })
        {
            if (has && InputFile.Problem(parameters.Get(parameter), $"{parameter} '{parameters.Get(parameter)}'") is { } fileProblem)
            {
                context.AddError(fileProblem);
            }
        }

        if (hasCertificate && hasKey && parameters.GetOrDefault(InstanceStoreParameters.ImageFile) is { } image
            && BundledContentGuard.ProblemWithImage(image, [parameters.Get(InstanceStoreParameters.X509CertPath), parameters.Get(InstanceStoreParameters.X509KeyPath)]) is { } problem)
        {
            context.AddError(problem);
        }

        if (context.ResumedWorkDirectory is { } workDirectory && context.ResumedState is { } resumed
            && resumed.TryGet(InstanceStoreState.StagedCertificateDirectory, out var staged)
            && RecordedPaths.ProblemWithLocal(staged, workDirectory, RecordedPaths.StagedCertificateFolder) is { } recorded)
        {
            context.AddError(recorded);
        }

        return ValueTask.CompletedTask;
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        // In the step's secrets folder: if this process dies before its cleanup, the next run of any kind removes it.
        var directory = Path.Combine(context.SecretsDirectory, "x509-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        var image = parameters.Get(InstanceStoreParameters.ImageFile);
        if (BundledContentGuard.ProblemWithStaging(directory, image, BundleDestinations.Resolve(parameters, context.WorkDirectory)) is { } problem)
        {
            throw PipelineException.Input(problem);
        }

        // Remembered before anything is copied, so that a crash halfway still gets the folder removed.
        context.State.Set(InstanceStoreState.StagedCertificateDirectory, directory);
        await context.CheckpointAsync(cancellationToken);

        foreach (var folder in new[] { context.SecretsDirectory, directory })
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, PrivateFolder);
            }
        }

        var staged = StagedCertificateFiles.InLocalDirectory(directory);
        await CopyPrivatelyAsync(parameters.Get(InstanceStoreParameters.X509CertPath), staged.CertificatePath, cancellationToken);
        await CopyPrivatelyAsync(parameters.Get(InstanceStoreParameters.X509KeyPath), staged.KeyPath, cancellationToken);
        context.Logger.CertificatesStaged(directory);
        context.Note = "staged privately";
    }

    public Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(InstanceStoreState.StagedCertificateDirectory, out var directory))
        {
            return Task.FromResult(CleanupOutcome.NothingToUndo);
        }

        // Validation refuses a resumed record that points elsewhere; this guards a record changed while the run ran.
        if (RecordedPaths.ProblemWithLocal(directory, context.WorkDirectory, RecordedPaths.StagedCertificateFolder) is { } problem)
        {
            throw new PipelineException(problem);
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        context.State.Remove(InstanceStoreState.StagedCertificateDirectory);
        context.Logger.StagedCertificatesRemoved(directory);
        return Task.FromResult(CleanupOutcome.Undone);
    }

    private static async Task CopyPrivatelyAsync(string source, string destination, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Created 0600 from the start: there is no moment when others could open it.
            options.UnixCreateMode = PrivateFile;
        }

        await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read);
        await using var output = new FileStream(destination, options);
        await input.CopyToAsync(output, cancellationToken);
    }
}
