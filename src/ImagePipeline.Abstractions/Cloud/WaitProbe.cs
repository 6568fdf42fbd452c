namespace ImagePipeline.Abstractions;

/// <summary>What one poll of a resource found: done (with its value), still pending (with a status to show), or failed (with AWS's reason).</summary>
public readonly record struct WaitProbe<T>(WaitProbeKind Kind, T? Value, string? Status, int? Percent)
{
    public static WaitProbe<T> Done(T value) => new(WaitProbeKind.Done, value, null, 100);

    public static WaitProbe<T> Pending(string status, int? percent = null) => new(WaitProbeKind.Pending, default, status, percent);

    public static WaitProbe<T> Failed(string reason) => new(WaitProbeKind.Failed, default, reason, null);
}
