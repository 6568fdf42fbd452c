using ImagePipeline.Build.Host;
using ImagePipeline.Core.Parameters;

namespace ImagePipeline.Build;

/// <summary>
/// Runs a build target in-process for another build tool (a Cake script, an MSBuild task), exactly as
/// <c>./build.sh TARGET --name value ...</c> would: the same parameters, plugins, run records, console output and exit codes.
/// </summary>
/// <remarks>
/// The built-in plugins are found in <c>plugins/</c> beside this assembly (not beside the calling tool), and the
/// repository root is <c>IMAGEPIPELINE_ROOT</c> when set, else the nearest folder above the current one holding <c>.nuke/</c>.
/// <c>--cloud local</c> without <c>--endpoint-url</c> starts the local cloud in-process, which needs the ASP.NET Core
/// shared framework; a caller running on Microsoft.NETCore.App alone (Cake) runs the local cloud elsewhere
/// (<c>./build.sh LocalCloud</c>) and passes its endpoint.
/// </remarks>
public static class ImagePipelineRunner
{
    /// <summary>Runs <paramref name="target"/> (and the targets before it) and returns the host's exit code: 0, 1 (a target failed), 2 (bad input) or 130 (cancelled).</summary>
    /// <param name="target">A target name, such as <c>RegisterImage</c>, or a utility target.</param>
    /// <param name="parameters">Parameter names (kebab-case, with or without the leading dashes) and their values as typed on the command line; a list is comma-separated, a switch is <c>"true"</c>.</param>
    /// <param name="output">Where the console output goes; standard output when null.</param>
    /// <param name="error">Where errors go; standard error when null.</param>
    /// <param name="cancellationToken">Cancels the run; the cleanups of the steps that started still run.</param>
    public static Task<int> RunAsync(
        string target,
        IReadOnlyDictionary<string, string> parameters,
        TextWriter? output = null,
        TextWriter? error = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        ArgumentNullException.ThrowIfNull(parameters);

        var args = new List<string> { target };
        foreach (var (name, value) in parameters)
        {
            // "--name=value" keeps a value that starts with dashes from being read as another option.
            args.Add($"--{name.TrimStart('-')}={value}");
        }

        var variables = ParameterInputs.ProcessEnvironment();
        var root = variables.TryGetValue("IMAGEPIPELINE_ROOT", out var configured) && configured.Length > 0
            ? Path.GetFullPath(configured)
            : HostEnvironment.FindRoot(Directory.GetCurrentDirectory());

        // AppContext.BaseDirectory is the calling tool's folder; the built-in plugins sit beside this assembly.
        var hostFolder = Path.GetDirectoryName(typeof(ImagePipelineRunner).Assembly.Location) ?? AppContext.BaseDirectory;
        var environment = new HostEnvironment(root, Path.Combine(hostFolder, "plugins"), variables, output ?? Console.Out, error ?? Console.Error);
        return BuildHost.RunAsync([.. args], environment, cancellationToken);
    }
}
