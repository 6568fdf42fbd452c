using System.Diagnostics;
using ImagePipeline.Abstractions;

namespace ImagePipeline.VolumeBundler.Imaging;

/// <summary>Runs one of the instance's standard tools (losetup, mount, mke2fs, …) with arguments, never through a shell.</summary>
internal static class ExternalCommand
{
    /// <summary>Runs the tool and returns its standard output; throws naming the tool and its error output when it fails.</summary>
    public static async Task<string> RunAsync(string tool, IReadOnlyList<string> arguments, string? standardInput = null)
    {
        var (exitCode, output, error) = await TryRunAsync(tool, arguments, standardInput).ConfigureAwait(false);
        if (exitCode != 0)
        {
            var detail = string.IsNullOrWhiteSpace(error) ? output : error;
            throw new PipelineException($"'{tool} {string.Join(' ', arguments)}' failed (exit {exitCode}): {OneLine(detail)}");
        }

        return output;
    }

    public static async Task<(int ExitCode, string Output, string Error)> TryRunAsync(string tool, IReadOnlyList<string> arguments, string? standardInput = null)
    {
        var start = new ProcessStartInfo(Resolve(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Tools print in English whatever the instance's locale, so errors read the same in the report.
        start.Environment["LC_ALL"] = "C";
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw PipelineException.Input($"The tool '{tool}' cannot be run ({ex.Message}); install it on the instance ({PackageHint(tool)}).", ex);
        }

        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput).ConfigureAwait(false);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);

        // A tool that changes the system (mount, losetup, mkfs) is let finish even when cancelled: its result must be
        // known for the cleanup to undo it. Callers check for cancellation once they have recorded what it created.
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    public static bool Exists(string tool) => Resolve(tool) != tool || File.Exists(tool);

    private static string Resolve(string tool)
    {
        if (tool.Contains('/', StringComparison.Ordinal))
        {
            return tool;
        }

        // sudo's secure_path usually holds the sbin folders, but not every sudoers does; look there too.
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"]);
        return path.Select(directory => Path.Combine(directory, tool)).FirstOrDefault(File.Exists) ?? tool;
    }

    private static string PackageHint(string tool) => tool switch
    {
        "mke2fs" or "tune2fs" => "package e2fsprogs",
        "mkfs.xfs" => "package xfsprogs",
        "sfdisk" => "package fdisk or util-linux",
        "blkid" or "losetup" or "mount" or "umount" => "package util-linux",
        _ => "your distribution's package for it",
    };

    private static string OneLine(string text) =>
        string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
