using ImagePipeline.Strategies.InstanceStore.State;

namespace ImagePipeline.Strategies.InstanceStore.Tests;

/// <summary>Issue 12 item 7: a path read back from a run record is trusted only inside the run's work folder, or when it is the one the parameters name.</summary>
public sealed class RecordedPathsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("imagepipeline-recorded-").FullName;

    public RecordedPathsTests()
    {
        Directory.CreateDirectory(Work("secrets"));
        Directory.CreateDirectory(Path.Combine(_root, "elsewhere"));
        Directory.CreateDirectory(Path.Combine(_root, "work-2"));
        File.WriteAllText(Work("a-file"), "not a folder");
        Directory.CreateSymbolicLink(Work("link"), Path.Combine(_root, "elsewhere"));
    }

    private string WorkDirectory => Path.Combine(_root, "work");

    /// <summary>Each path, relative to the test's temporary root unless absolute-looking ("/…") or marked "relative:".</summary>
    public static TheoryData<string, string, string?> LocalPaths => new()
    {
        { "a folder inside the work folder", "work/secrets/x509-1", null },
        { "a folder inside that does not exist yet", "work/bundle", null },
        { "the work folder itself", "work", "is outside the run's work folder" },
        { "a folder elsewhere", "elsewhere", "is outside the run's work folder" },
        { "a sibling whose name starts like the work folder", "work-2/bundle", "is outside the run's work folder" },
        { "../ out of the work folder", "work/secrets/../../elsewhere", "is outside the run's work folder" },
        { "through a symbolic link inside pointing outside", "work/link/x509-1", "goes through the symbolic link" },
        { "a file, not a folder", "work/a-file", "is a file, not a folder" },
        { "a relative path", "relative:work/secrets", "is not an absolute path" },
    };

    [Theory]
    [MemberData(nameof(LocalPaths))]
    public void A_local_path_is_trusted_only_strictly_inside_the_work_folder_without_links(string @case, string path, string? refusal)
    {
        var problem = RecordedPaths.ProblemWithLocal(Resolve(path), WorkDirectory, RecordedPaths.StagedCertificateFolder);

        if (refusal is null)
        {
            problem.Should().BeNull(@case);
        }
        else
        {
            problem.Should().Contain(refusal, @case).And.Contain("staged-certificate folder").And.Contain("nothing is deleted");
        }
    }

    public static TheoryData<string, string, string, string?> BundleFolders => new()
    {
        { "the default folder inside the work folder", "work/bundle", "work/bundle", null },
        { "the --bundle-destination the user named", "elsewhere", "elsewhere", null },
        { "the named destination written with a trailing slash", "elsewhere/", "elsewhere", null },
        { "a folder inside while the user named another", "work/bundle", "elsewhere", null },
        { "a folder outside that the parameters do not name", "elsewhere", "work-2", "is neither inside the run's work folder" },
        { "a folder below the named destination", "elsewhere/deeper", "elsewhere", "is neither inside the run's work folder" },
        { "a relative spelling of the named destination", "relative:elsewhere", "elsewhere", "is neither inside the run's work folder" },
    };

    [Theory]
    [MemberData(nameof(BundleFolders))]
    public void A_bundle_folder_is_trusted_inside_the_work_folder_or_when_it_is_the_named_destination(string @case, string path, string named, string? refusal)
    {
        var problem = RecordedPaths.ProblemWithLocal(Resolve(path), WorkDirectory, RecordedPaths.BundleFolder, Resolve(named));

        if (refusal is null)
        {
            problem.Should().BeNull(@case);
        }
        else
        {
            problem.Should().Contain(refusal, @case).And.Contain("bundle folder");
        }
    }

    [Theory]
    [InlineData("/mnt/imagepipeline-bundle", "/mnt/imagepipeline-bundle", true)]
    [InlineData("/", "/mnt/imagepipeline-bundle", false)]
    [InlineData("/mnt/imagepipeline-bundle/../..", "/mnt/imagepipeline-bundle", false)]
    [InlineData("/mnt/imagepipeline-bundle/", "/mnt/imagepipeline-bundle", false)]
    [InlineData("/home/ec2-user", "/mnt/imagepipeline-bundle", false)]
    public void A_remote_folder_is_trusted_only_when_it_is_exactly_the_one_the_parameters_name(string recorded, string named, bool trusted)
    {
        var problem = RecordedPaths.ProblemWithRemote(recorded, named, RecordedPaths.InstanceBundleFolder);

        (problem is null).Should().Be(trusted, problem);
        if (!trusted)
        {
            problem.Should().Contain("bundle folder on the instance").And.Contain(named);
        }
    }

    [Theory]
    [InlineData("image-20261126210509-ab12cd", true)]
    [InlineData("web.v1_2-3", true)]
    [InlineData("", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("../../etc/passwd", false)]
    [InlineData("sub/prefix", false)]
    [InlineData("back\\slash", false)]
    [InlineData("line\nbreak", false)]
    public void A_recorded_bundle_prefix_must_be_a_plain_name(string prefix, bool trusted) =>
        (RecordedPaths.ProblemWithName(prefix, RecordedPaths.BundlePrefix) is null).Should().Be(trusted);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Work(string name) => Path.Combine(WorkDirectory, name);

    private string Resolve(string path) =>
        path.StartsWith("relative:", StringComparison.Ordinal) ? path["relative:".Length..] : Path.Combine(_root, path);
}
