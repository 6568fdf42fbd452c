namespace ImagePipeline.Abstractions;

/// <summary>
/// The volume bundler's options for <see cref="VolumeImageParameters"/> (docs/VOLUME-BUNDLER.md), and the file of this
/// machine they name (a <c>--volume-fstab</c>), copied into the caller's staging folder for the program to read. An
/// imaging option the host exposes is one parameter there and one line here; the caller adds what it writes into.
/// </summary>
public static class VolumeImageArguments
{
    /// <summary>Where a <c>--volume-fstab</c> from this machine is copied in the staging folder.</summary>
    public static string FstabPath(string stagingDirectory) => stagingDirectory.TrimEnd('/') + "/fstab";

    /// <summary><c>--volume</c>, the staging folder left out, and the imaging options the parameters set.</summary>
    public static IReadOnlyList<string> For(IParameterValues parameters, string stagingDirectory)
    {
        var arguments = new List<string>
        {
            "--volume", parameters.Get(VolumeImageParameters.Volume),
            "--exclude", stagingDirectory,
            "--partition", KebabCase.From(parameters.Get(VolumeImageParameters.VolumePartition)),
        };
        arguments.AddRange(parameters.Get(VolumeImageParameters.VolumeExclude).SelectMany(path => new[] { "--exclude", path }));
        arguments.AddRange(parameters.Get(VolumeImageParameters.VolumeInclude).SelectMany(path => new[] { "--include", path }));
        if (parameters.Get(VolumeImageParameters.VolumeNoFilter))
        {
            arguments.Add("--no-filter");
        }

        if (parameters.Get(VolumeImageParameters.VolumeAllMounts))
        {
            arguments.Add("--all");
        }

        if (parameters.IsSet(VolumeImageParameters.VolumeFstab))
        {
            arguments.AddRange(["--fstab", FstabPath(stagingDirectory)]);
        }

        if (parameters.Get(VolumeImageParameters.VolumeGenerateFstab))
        {
            arguments.Add("--generate-fstab");
        }

        return arguments;
    }

    /// <summary>The mistakes in these parameters that can be seen before anything is copied to the instance.</summary>
    public static void Validate(ValidationContext context)
    {
        var parameters = context.Parameters;
        if (parameters.IsSet(VolumeImageParameters.VolumeFstab)
            && InputFile.Problem(parameters.Get(VolumeImageParameters.VolumeFstab), $"{VolumeImageParameters.VolumeFstab} '{parameters.Get(VolumeImageParameters.VolumeFstab)}' (the file on this machine written as the image's /etc/fstab)") is { } fstabProblem)
        {
            context.AddError(fstabProblem);
        }

        if (parameters.IsSet(VolumeImageParameters.VolumeFstab) && parameters.Get(VolumeImageParameters.VolumeGenerateFstab))
        {
            context.AddError($"{VolumeImageParameters.VolumeFstab} and {VolumeImageParameters.VolumeGenerateFstab} both say what the image's /etc/fstab is; pass one of them.");
        }
    }

    /// <summary>Copies the files of this machine the arguments name into the staging folder (0600), before the program starts.</summary>
    public static async Task StageInputsAsync(IRemoteSession session, IParameterValues parameters, string stagingDirectory, CancellationToken cancellationToken)
    {
        if (parameters.IsSet(VolumeImageParameters.VolumeFstab))
        {
            await RemoteStagingFolder.CopyAsync(session, parameters.Get(VolumeImageParameters.VolumeFstab), FstabPath(stagingDirectory), RemoteStagingFolder.PrivateFileMode, cancellationToken);
        }
    }
}
