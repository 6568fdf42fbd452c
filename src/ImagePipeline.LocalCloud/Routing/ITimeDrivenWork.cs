namespace ImagePipeline.LocalCloud.Routing;

/// <summary>
/// Side effects that fall due as the clock moves (a bundle task writing its parts into S3). States are read lazily,
/// so these run before each request instead of on a timer.
/// </summary>
internal interface ITimeDrivenWork
{
    void RunDueWork();
}
