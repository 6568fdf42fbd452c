namespace ImagePipeline.VolumeBundler.Imaging;

/// <summary>
/// What the run created, undone in reverse order (unmount before detaching the loop device before deleting the image).
/// Every undo runs even when an earlier one fails; their errors are returned, not thrown, so the run's own error stays
/// the one reported.
/// </summary>
internal sealed class CleanupStack
{
    private readonly Stack<(string What, Func<Task> Undo)> _undos = new();

    public void Push(string what, Func<Task> undo) => _undos.Push((what, undo));

    public void Push(string what, Action undo) => Push(what, () =>
    {
        undo();
        return Task.CompletedTask;
    });

    /// <summary>Forgets the most recent undo: what it would undo was already undone as part of the run.</summary>
    public void Pop() => _undos.Pop();

    public async Task<IReadOnlyList<string>> UndoAllAsync()
    {
        var problems = new List<string>();
        while (_undos.TryPop(out var entry))
        {
            try
            {
                await entry.Undo().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ImagePipeline.Abstractions.PipelineException)
            {
                problems.Add($"{entry.What}: {ex.Message}");
            }
        }

        return problems;
    }
}
