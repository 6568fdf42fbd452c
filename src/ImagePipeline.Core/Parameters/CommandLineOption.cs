namespace ImagePipeline.Core.Parameters;

/// <summary>One <c>--name value...</c> occurrence on the command line.</summary>
public sealed class CommandLineOption(string name)
{
    public string Name { get; } = name;

    public List<string> Values { get; } = [];
}
