using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
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
/// A caller running on Microsoft.NETCore.App alone (Cake) lacks the ASP.NET Core shared framework the host is built
/// with; the runner then resolves those assemblies itself (see <see cref="FrameworkResolver"/>), which also lets
/// <c>--cloud local</c> start the local cloud in-process there. Running the local cloud outside such a caller
/// (<c>./build.sh LocalCloud</c>, then <c>--cloud local --endpoint-url URL</c>) keeps the caller's process plain.
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

        // Before any host type is touched: those need the Microsoft.Extensions assemblies the resolver finds.
        FrameworkResolver.EnsureInstalled(HostFolder);
        return RunHostAsync([.. args], output ?? Console.Out, error ?? Console.Error, cancellationToken);
    }

    // AppContext.BaseDirectory is the calling tool's folder; the host's dependencies and plugins sit beside this assembly.
    private static string HostFolder => Path.GetDirectoryName(typeof(ImagePipelineRunner).Assembly.Location) ?? AppContext.BaseDirectory;

    // Not inlined, so the JIT meets the host's types only after the resolver is installed.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Task<int> RunHostAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var variables = ParameterInputs.ProcessEnvironment();
        var root = variables.TryGetValue("IMAGEPIPELINE_ROOT", out var configured) && configured.Length > 0
            ? Path.GetFullPath(configured)
            : HostEnvironment.FindRoot(Directory.GetCurrentDirectory());
        var environment = new HostEnvironment(root, Path.Combine(HostFolder, "plugins"), variables, output, error);
        return BuildHost.RunAsync(args, environment, cancellationToken);
    }

    /// <summary>
    /// Lets the host run in a process started without the ASP.NET Core shared framework (Cake runs on
    /// Microsoft.NETCore.App only, and ships an older Microsoft.Extensions.Logging.Abstractions). Assemblies the process
    /// cannot find come from the host's folder or the installed ASP.NET Core framework; one the process holds in an
    /// older version is loaded beside it in a context of its own, so host and plugins still share a single copy.
    /// </summary>
    private static class FrameworkResolver
    {
        private static readonly ConcurrentDictionary<string, Assembly> NewerThanTheCallers = new(StringComparer.Ordinal);
        private static readonly Lock Gate = new();
        private static AssemblyLoadContext? _sideContext;
        private static bool _installed;

        public static void EnsureInstalled(string hostFolder)
        {
            lock (Gate)
            {
                if (_installed || RunsOnAspNetCore())
                {
                    _installed = true;
                    return;
                }

                var frameworkFolder = AspNetCoreFolder();
                _sideContext = new AssemblyLoadContext("ImagePipeline host: framework assemblies newer than the caller's");
                AssemblyLoadContext.Default.Resolving += (context, name) => Resolve(context, name, hostFolder, frameworkFolder);
                _installed = true;
            }
        }

        private static bool RunsOnAspNetCore() =>
            AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string assemblies
            && assemblies.Contains($"{Path.DirectorySeparatorChar}Microsoft.AspNetCore.dll", StringComparison.Ordinal);

        private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name, string hostFolder, string? frameworkFolder)
        {
            if (context != AssemblyLoadContext.Default || name.Name is null)
            {
                return null;
            }

            var path = new[] { hostFolder, frameworkFolder }
                .OfType<string>()
                .Select(folder => Path.Combine(folder, name.Name + ".dll"))
                .FirstOrDefault(File.Exists);
            if (path is null)
            {
                return null;
            }

            if (NewerThanTheCallers.TryGetValue(path, out var loaded))
            {
                return loaded;
            }

            try
            {
                return context.LoadFromAssemblyPath(path);
            }
            catch (FileLoadException)
            {
                // The process holds an older version under the same name; the default context cannot take a second.
                return NewerThanTheCallers.GetOrAdd(path, _sideContext!.LoadFromAssemblyPath);
            }
        }

        /// <summary>The ASP.NET Core shared framework beside the running Microsoft.NETCore.App, same version when installed.</summary>
        private static string? AspNetCoreFolder()
        {
            var runtime = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
            var frameworks = new DirectoryInfo(Path.Combine(runtime.Parent!.Parent!.FullName, "Microsoft.AspNetCore.App"));
            if (!frameworks.Exists)
            {
                return null;
            }

            var same = Path.Combine(frameworks.FullName, runtime.Name);
            if (Directory.Exists(same))
            {
                return same;
            }

            var major = Environment.Version.Major + ".";
            return frameworks.EnumerateDirectories()
                .Where(folder => folder.Name.StartsWith(major, StringComparison.Ordinal) && Version.TryParse(folder.Name.Split('-')[0], out _))
                .OrderByDescending(folder => Version.Parse(folder.Name.Split('-')[0]))
                .FirstOrDefault()?.FullName;
        }
    }
}
