using System.Reflection;
using ImagePipeline.Host;
using ImagePipeline.Core.Parameters;

namespace ImagePipeline.Host;

/// <summary>
/// Runs a build target in-process for another build tool (a Cake script, an MSBuild task), exactly as
/// <c>./build.sh TARGET --name value ...</c> would: the same parameters, plugins, run records, console output and exit codes.
/// </summary>
/// <remarks>
/// The built-in plugins are found in <c>plugins/</c> beside this assembly (not beside the calling tool), the local cloud
/// in <c>localcloud/</c> beside it (run as a child process, so the caller's process needs no ASP.NET Core), and the
/// repository root is <c>IMAGEPIPELINE_ROOT</c> when set, else the nearest folder above the current one holding <c>.nuke/</c>.
/// The host runs in a load context of its own (<see cref="IsolatedHostLoadContext"/>), with the dependencies it was built
/// with, whatever older ones the caller holds (Cake ships an older Microsoft.Extensions.Logging.Abstractions).
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

        return (Task<int>)IsolatedEntryPoint.Value.Invoke(null, [args.ToArray(), output ?? Console.Out, error ?? Console.Error, cancellationToken])!;
    }

    // One isolated copy of the host per process; only types of the runtime itself cross into it.
    private static readonly Lazy<MethodInfo> IsolatedEntryPoint = new(() =>
        new IsolatedHostLoadContext(HostFolder).LoadFromAssemblyPath(typeof(ImagePipelineRunner).Assembly.Location)
            .GetType(typeof(ImagePipelineRunner).FullName!, throwOnError: true)!
            .GetMethod(nameof(RunInThisContextAsync), BindingFlags.NonPublic | BindingFlags.Static)!);

    /// <summary>Runs the host with the assemblies of the load context this copy of the runner lives in.</summary>
    private static Task<int> RunInThisContextAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var environment = HostEnvironment.ForCurrentFolder(ParameterInputs.ProcessEnvironment(), output, error);
        return BuildHost.RunAsync(args, environment, cancellationToken);
    }

    // AppContext.BaseDirectory is the calling tool's folder; the host's dependencies and plugins sit beside this assembly.
    private static string HostFolder => Path.GetDirectoryName(typeof(ImagePipelineRunner).Assembly.Location) ?? AppContext.BaseDirectory;
}
