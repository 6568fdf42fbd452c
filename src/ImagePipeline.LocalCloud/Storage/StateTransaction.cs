namespace ImagePipeline.LocalCloud.Storage;

/// <summary>The time a caller is inside the shared state (see <see cref="StateStore.Transaction"/>); disposing it leaves.</summary>
internal readonly struct StateTransaction : IDisposable
{
    private readonly StateStore _store;

    public StateTransaction(StateStore store) => _store = store;

    public void Dispose() => _store.Leave();
}
