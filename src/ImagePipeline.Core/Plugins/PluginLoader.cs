using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Core.Plugins;

/// <summary>
/// Finds plugin assemblies (the plugins folder of the build output, and each <c>--plugin</c> path), checks their
/// contract version before loading them, and loads each in its own <see cref="PluginLoadContext"/>.
/// </summary>
public sealed class PluginLoader
{
    private const string ContractAssemblyName = "ImagePipeline.Abstractions";

    /// <summary>The contract version this host provides (the assembly version of ImagePipeline.Abstractions).</summary>
    public static Version ContractVersion { get; } = typeof(IPipelinePlugin).Assembly.GetName().Version!;

    /// <summary>The folder every built-in plugin is copied to: plugins/NAME/NAME.dll beside the host.</summary>
    public static string DefaultPluginsFolder => Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>Loads the plugins of the default folder (if it exists) and of each extra path; all problems are reported together.</summary>
    public IReadOnlyList<LoadedPlugin> Load(string? defaultFolder, IEnumerable<string> extraPaths)
    {
        var errors = new List<string>();
        var assemblies = new List<string>();
        var builtIn = new HashSet<string>(StringComparer.Ordinal);

        if (defaultFolder is not null && Directory.Exists(defaultFolder))
        {
            foreach (var folder in Directory.EnumerateDirectories(defaultFolder).Order(StringComparer.Ordinal))
            {
                var found = PluginAssembliesIn(folder);
                assemblies.AddRange(found);
                builtIn.UnionWith(found);
            }
        }

        foreach (var path in extraPaths)
        {
            var full = Path.GetFullPath(path);
            var kind = FileKinds.Of(full);
            if (kind is not (FileKind.Directory or FileKind.Missing))
            {
                // Assemblies may be large; what is refused is a pipe, a device or a socket, which loading would hang on.
                if (InputFile.Problem(full, $"--plugin {path}", long.MaxValue) is { } problem)
                {
                    errors.Add(problem);
                }
                else
                {
                    assemblies.Add(full);
                }
            }
            else if (kind == FileKind.Directory)
            {
                var found = PluginAssembliesIn(full);
                if (found.Count == 0)
                {
                    errors.Add($"--plugin {path}: the folder holds no plugin assembly (a .dll with its .deps.json that references {ContractAssemblyName}); build the plugin project and point at its output folder or .dll.");
                }

                assemblies.AddRange(found);
            }
            else
            {
                errors.Add($"--plugin {path}: no such file or folder; give the path of a plugin .dll or of the folder it was built to.");
            }
        }

        var loaded = new List<LoadedPlugin>();
        foreach (var assemblyPath in assemblies.Distinct(StringComparer.Ordinal))
        {
            try
            {
                loaded.Add(LoadOne(assemblyPath) with { IsBuiltIn = builtIn.Contains(assemblyPath) });
            }
            catch (PipelineException exception)
            {
                errors.Add(exception.Message);
            }
        }

        if (errors.Count > 0)
        {
            throw new PluginLoadException(errors);
        }

        return loaded;
    }

    private static List<string> PluginAssembliesIn(string folder)
    {
        // A plugin's main assembly is the one with a .deps.json beside it; its dependencies have none.
        return Directory.EnumerateFiles(folder, "*.dll")
            .Where(dll => File.Exists(Path.ChangeExtension(dll, ".deps.json")))
            .Where(dll => ReferencedContract(dll) is not null)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static LoadedPlugin LoadOne(string assemblyPath)
    {
        var name = Path.GetFileName(assemblyPath);
        var contract = ReferencedContract(assemblyPath)
            ?? throw PipelineException.Input($"{assemblyPath} is not an ImagePipeline plugin: it does not reference {ContractAssemblyName}.");

        if (contract.Major != ContractVersion.Major || contract > ContractVersion)
        {
            throw PipelineException.Input(
                $"{name} was built against plugin contract {contract.ToString(2)}, but this host provides {ContractVersion.ToString(2)}: rebuild the plugin against {ContractAssemblyName} {ContractVersion.Major}.x.");
        }

        var context = new PluginLoadContext(assemblyPath);
        Assembly assembly;
        Type[] types;
        try
        {
            assembly = context.LoadFromAssemblyPath(assemblyPath);
            types = assembly.GetExportedTypes();
        }
        catch (Exception exception) when (exception is BadImageFormatException or FileLoadException or FileNotFoundException or ReflectionTypeLoadException or TypeLoadException)
        {
            throw PipelineException.Input($"{name} could not be loaded ({exception.GetType().Name}: {exception.Message}); rebuild it against this version of ImagePipeline.", exception);
        }

        var entryPoints = types
            .Where(type => typeof(IPipelinePlugin).IsAssignableFrom(type) && type is { IsAbstract: false, IsInterface: false })
            .Select(type => type.GetConstructor(Type.EmptyTypes) is { } constructor
                ? (IPipelinePlugin)constructor.Invoke(null)
                : throw PipelineException.Input($"{type.FullName} in {name} needs a public parameterless constructor to be a plugin entry point."))
            .ToList();

        if (entryPoints.Count == 0)
        {
            throw PipelineException.Input($"{name} is not an ImagePipeline plugin: it has no public class implementing {nameof(IPipelinePlugin)}.");
        }

        return new LoadedPlugin(assembly.GetName().Name!, assemblyPath, entryPoints);
    }

    /// <summary>Reads, without loading the assembly, which contract version it was compiled against; null when it references none or is not .NET.</summary>
    public static Version? ReferencedContract(string assemblyPath)
    {
        try
        {
            using var stream = File.OpenRead(assemblyPath);
            using var reader = new PEReader(stream);
            if (!reader.HasMetadata)
            {
                return null;
            }

            var metadata = reader.GetMetadataReader();
            if (metadata.IsAssembly && metadata.GetString(metadata.GetAssemblyDefinition().Name) == ContractAssemblyName)
            {
                return null;
            }

            foreach (var handle in metadata.AssemblyReferences)
            {
                var reference = metadata.GetAssemblyReference(handle);
                if (metadata.GetString(reference.Name) == ContractAssemblyName)
                {
                    return reference.Version;
                }
            }

            return null;
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }
}
