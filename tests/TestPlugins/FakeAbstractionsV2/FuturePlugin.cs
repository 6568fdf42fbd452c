namespace ImagePipeline.Abstractions;

/// <summary>A type of the pretend contract 2.0.</summary>
public interface IFuturePlugin
{
    string Name { get; }
}
