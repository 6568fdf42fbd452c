using ImagePipeline.Abstractions;

namespace FutureContractPlugin;

/// <summary>Built against contract 2.0; this host provides 1.x and must refuse it, saying which version it needs.</summary>
public sealed class FutureStrategyPlugin : IFuturePlugin
{
    public string Name => "future";
}
