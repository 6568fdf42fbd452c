namespace ImagePipeline.Instances.VolumeBundling;

/// <summary>
/// What running the volume bundler puts in the caller's staging folder: the program, the file it writes its process id
/// to (so that it can be stopped), its report, its standard error and its exit status.
/// </summary>
internal sealed record VolumeBundlerFiles(string Directory)
{
    public string ProgramPath => Combine(VolumeBundlerBinaries.FileName);

    public string ProcessIdPath => Combine("volume-bundler.pid");

    /// <summary>The program's report (its standard output), which the host follows; it outlives a host that was killed.</summary>
    public string ReportPath => Combine("volume-bundler.jsonl");

    public string ErrorPath => Combine("volume-bundler.err");

    /// <summary>The program's exit status, written when it ends.</summary>
    public string ExitStatusPath => Combine("volume-bundler.status");

    /// <summary>Everything the program and its launch leave in the folder.</summary>
    public IEnumerable<string> All => [ProgramPath, ProcessIdPath, ReportPath, ErrorPath, ExitStatusPath];

    private string Combine(string name) => Directory.TrimEnd('/') + "/" + name;
}
