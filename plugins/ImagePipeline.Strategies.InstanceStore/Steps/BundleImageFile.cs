using System.Globalization;
using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.InstanceStore.Bundles;
using ImagePipeline.Strategies.InstanceStore.Certificates;
using ImagePipeline.Strategies.InstanceStore.Parameters;
using ImagePipeline.Strategies.InstanceStore.State;
using ImagePipeline.Strategies.InstanceStore.Uploads;
using Microsoft.Extensions.Logging;

namespace ImagePipeline.Strategies.InstanceStore.Steps;

/// <summary>
/// BundleVolume for a local image: bundles --image-file with the project's bundler into --bundle-destination. A finished
/// bundle is kept (a resumed run skips this step); a bundle cut short is removed. A destination that already holds files
/// of the bundle's names is refused (never written over), so whatever cleanup removes is what this run wrote. When the run
/// goes on to UploadBundle, each part is uploaded as soon as it is written; UploadBundle then sends what is missing and
/// the manifest.
/// </summary>
public sealed class BundleImageFile(IImageBundler bundler, ICloudClients clients, TimeProvider timeProvider) : IPipelineStep
{
    // Only used when --bundle-prefix is not given: the real prefix is fixed when the run starts, and has this shape.
    private const string ProbeName = "image-20000101000000";

    public async ValueTask ValidateAsync(ValidationContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        foreach (var problem in ProblemsWithRecord(context))
        {
            context.AddError(problem);
        }

        var ready = context.Require(InstanceStoreParameters.ImageFile, "to bundle a local disk image (or pass --instance-host to bundle a live instance)");
        ready &= context.Require(InstanceStoreParameters.Ec2CertPath, "so that EC2 can open the bundle");
        ready &= parameters.IsSet(InstanceStoreParameters.X509CertPath) && parameters.IsSet(InstanceStoreParameters.X509KeyPath);
        if (!ready)
        {
            return;
        }

        // The run's folder does not exist yet; with the default destination, the bundler's destination checks run when bundling starts.
        var destinationGiven = parameters.IsSet(InstanceStoreParameters.BundleDestination);
        var request = await CreateRequestAsync(
            parameters,
            parameters.Get(InstanceStoreParameters.X509CertPath),
            parameters.Get(InstanceStoreParameters.X509KeyPath),
            parameters.GetOrDefault(InstanceStoreParameters.BundlePrefix) ?? ProbeName,
            destinationGiven ? BundleDestinations.Resolve(parameters, string.Empty) : Path.GetTempPath(),
            cancellationToken);
        // A certificate or key file that cannot be read (missing, a device, too big) is StageCertificatesLocally's to
        // report (CopyCertificates runs first); the preflight's own wording of it would report the one problem twice.
        var missingFiles = new[] { request.UserCertificatePath, request.PrivateKeyPath }.Where(path => InputFile.Problem(path, path) is not null).Select(path => $"'{path}'").ToArray();
        foreach (var problem in await bundler.PreflightAsync(request, cancellationToken))
        {
            if ((destinationGiven || !problem.StartsWith("The destination '", StringComparison.Ordinal))
                && !missingFiles.Any(path => problem.Contains(path, StringComparison.Ordinal)))
            {
                context.AddError(problem);
            }
        }

        // A resumed run's own bundle (finished or cut short) is in its destination already; that one is the run's to reuse or replace.
        var resumedInto = context.ResumedState is { } resumed && resumed.TryGet(InstanceStoreState.BundleDirectory, out var claimed) ? claimed : null;
        if (destinationGiven && resumedInto != request.DestinationDirectory
            && BundleFiles.ProblemWithExisting(request.DestinationDirectory, request.Name!) is { } existing)
        {
            context.AddError(existing);
        }
    }

    public async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var staged = StagedCertificateFiles.InLocalDirectory(context.State.Get(InstanceStoreState.StagedCertificateDirectory));
        var destination = BundleDestinations.Resolve(parameters, context.WorkDirectory);
        var name = BundlePrefixes.Of(context);

        if (context.State.TryGet(InstanceStoreState.Bundle, out var finished) && finished.Directory == destination
            && File.Exists(finished.ManifestPath) && finished.Parts.All(part => new FileInfo(part.Path) is { Exists: true } file && file.Length == part.Size))
        {
            // An earlier attempt finished the bundle and was cut short while its parts were still uploading: UploadBundle
            // sends what is missing.
            context.Note = Describe(finished) + "; finished by an earlier attempt";
            return;
        }

        if (context.State.TryGet(InstanceStoreState.BundleDirectory, out var claimed) && claimed == destination)
        {
            // An earlier attempt of this run was cut short (killed) while bundling here, after making sure no file of
            // these names existed: what is left is its own partial bundle.
            BundleFiles.Delete(destination, name);
        }
        else if (BundleFiles.ProblemWithExisting(destination, name) is { } existing)
        {
            throw PipelineException.Input(existing);
        }

        // Remembered before the first part is written, so that a bundle cut short can be found and removed. It also
        // records that the destination held no file of these names: from now on, files of these names are this run's.
        context.State.Set(InstanceStoreState.BundleDirectory, destination);
        await context.CheckpointAsync(cancellationToken);

        var request = await CreateRequestAsync(parameters, staged.CertificatePath, staged.KeyPath, name, destination, cancellationToken);
        var imageSize = new FileInfo(request.ImagePath).Length;
        using var uploader = context.FinalTarget.Reaches(PipelineTarget.UploadBundle)
            ? new BundleObjectUploader(
                clients.S3ForTransfers(),
                parameters.Get(InstanceStoreParameters.Bucket),
                new TransientFailureRetry(timeProvider, context.Logger) { MaxAttempts = parameters.Get(InstanceStoreParameters.UploadAttempts) },
                context,
                context.State.GetOrDefault(InstanceStoreState.UploadedKeys, []).ToHashSet(StringComparer.Ordinal))
            : null;
        using var uploads = uploader is null
            ? null
            : new PartUploadQueue((part, token) => uploader.UploadFileAsync(part.Path, $"{name}/{part.FileName}", token), parameters.Get(InstanceStoreParameters.UploadConcurrency), context.Logger, timeProvider, cancellationToken);
        BundleResult result;
        using (var scope = context.Progress.Start($"Bundling {Path.GetFileName(request.ImagePath)}", imageSize))
        {
            result = await PartUploadQueue.WhileUploadingAsync(uploads, token => bundler.BundleAsync(request with { PartFinished = uploads is null ? null : uploads.Add }, new ScopeProgress(scope), token), cancellationToken);
        }

        uploads?.BundlingEnded();

        var bundle = new StoredBundle(
            result.Name,
            destination,
            result.ManifestPath,
            result.Parts.Select(part => new StoredBundlePart(part.Index, part.FileName, part.Path, part.Size)).ToArray(),
            result.ImageSize,
            result.BundledSize);
        context.State.Set(InstanceStoreState.Bundle, bundle);
        context.Outputs.Set(WellKnownOutputs.BundleDirectory, destination);
        context.Outputs.Set(WellKnownOutputs.BundledSize, result.BundledSize.ToString(CultureInfo.InvariantCulture));

        // Saved before the last uploads are awaited: a run killed now resumes with this bundle instead of bundling again.
        await context.CheckpointAsync(cancellationToken);
        var uploadNote = string.Empty;
        if (uploads is not null)
        {
            var overlap = await uploads.CompleteAsync();
            context.State.Set(InstanceStoreState.UploadOverlapSeconds, overlap);
            context.Logger.UploadedWhileBundling(uploads.Uploaded, result.Parts.Count, overlap);
            uploadNote = string.Create(CultureInfo.InvariantCulture, $"; {uploads.Uploaded} uploaded while bundling (overlap {overlap:0.0} s)");
        }

        context.Note = Describe(bundle) + uploadNote;
    }

    public async Task<CleanupOutcome> CleanupAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (!context.State.TryGet(InstanceStoreState.BundleDirectory, out var directory))
        {
            return CleanupOutcome.NothingToUndo;
        }

        // Parts uploaded while bundling, when the run is undone before UploadBundle took them over.
        await UploadedBundleCleanup.RunAsync(context, clients, cancellationToken);

        // Once the image is registered, a bundle in the run's own folder is read by no one again; runs in a row must not
        // pile up gigabytes of parts. A bundle in a --bundle-destination the user chose is theirs to keep.
        var registered = context.Outcome == RunOutcome.Succeeded && context.FinalTarget == PipelineTarget.RegisterImage;
        var finished = context.StepCompleted || (!context.ShouldUndo && context.State.Contains(InstanceStoreState.Bundle));
        if (finished && !(registered && BundledContentGuard.IsWithin(directory, context.WorkDirectory)))
        {
            // A finished bundle stays, so that --resume uploads it instead of bundling again.
            return CleanupOutcome.Kept;
        }

        var prefix = BundlePrefixes.Of(context);
        var problem = RecordedPaths.ProblemWithLocal(directory, context.WorkDirectory, RecordedPaths.BundleFolder, BundleDestinations.Resolve(context.Parameters, context.WorkDirectory))
            ?? RecordedPaths.ProblemWithName(prefix, RecordedPaths.BundlePrefix);
        if (problem is not null)
        {
            throw new PipelineException(problem);
        }

        var removed = BundleFiles.Delete(directory, prefix);
        if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any() && BundledContentGuard.IsWithin(directory, context.WorkDirectory))
        {
            Directory.Delete(directory);
        }

        context.State.Remove(InstanceStoreState.BundleDirectory);
        context.State.Remove(InstanceStoreState.Bundle);
        context.Outputs.Remove(WellKnownOutputs.BundleDirectory);
        context.Logger.BundleFilesRemoved(removed, directory);
        return CleanupOutcome.Undone;
    }

    /// <summary>
    /// A resumed run reads the bundle folder, the staged-key folder and the bundle prefix back from its record, and its
    /// cleanup deletes bundle files there: each must be the run's own (inside its work folder, or the resolved
    /// --bundle-destination for the bundle folder), or the resume is refused before anything is deleted.
    /// </summary>
    private static IEnumerable<string> ProblemsWithRecord(ValidationContext context)
    {
        if (context.ResumedWorkDirectory is not { } workDirectory || context.ResumedState is not { } resumed)
        {
            yield break;
        }

        if (resumed.TryGet(InstanceStoreState.BundleDirectory, out var bundleDirectory)
            && RecordedPaths.ProblemWithLocal(bundleDirectory, workDirectory, RecordedPaths.BundleFolder, BundleDestinations.Resolve(context.Parameters, workDirectory)) is { } bundleProblem)
        {
            yield return bundleProblem;
        }

        if (resumed.TryGet(InstanceStoreState.StagedCertificateDirectory, out var staged)
            && RecordedPaths.ProblemWithLocal(staged, workDirectory, RecordedPaths.StagedCertificateFolder) is { } stagedProblem)
        {
            yield return stagedProblem;
        }

        if (resumed.TryGet(InstanceStoreState.BundlePrefix, out var prefix) && RecordedPaths.ProblemWithName(prefix, RecordedPaths.BundlePrefix) is { } prefixProblem)
        {
            yield return prefixProblem;
        }
    }

    /// <summary>"N parts, X MiB", as the summary shows a bundle.</summary>
    public static string Describe(StoredBundle bundle) => BundleSizes.Describe(bundle.Parts.Count, bundle.BundledSize);

    private async Task<BundleRequest> CreateRequestAsync(
        IParameterValues parameters, string certificatePath, string keyPath, string name, string destination, CancellationToken cancellationToken) =>
        new()
        {
            ImagePath = Path.GetFullPath(parameters.Get(InstanceStoreParameters.ImageFile)),
            UserCertificatePath = certificatePath,
            PrivateKeyPath = keyPath,
            PrivateKeyPassphrase = parameters.GetOrDefault(InstanceStoreParameters.X509KeyPassphrase),
            Ec2CertificatePath = parameters.Get(InstanceStoreParameters.Ec2CertPath),
            AccountId = await AccountIds.ResolveAsync(parameters, clients, cancellationToken),
            Architecture = KebabCase.From(parameters.Get(InstanceStoreParameters.Architecture)),
            Name = name,
            DestinationDirectory = destination,
            BlockDeviceMappings = ManifestBlockDevices.From(parameters),
            KernelId = parameters.GetOrDefault(InstanceStoreParameters.KernelId),
            RamdiskId = parameters.GetOrDefault(InstanceStoreParameters.RamdiskId),
        };
}
