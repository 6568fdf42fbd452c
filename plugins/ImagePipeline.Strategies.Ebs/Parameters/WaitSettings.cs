using ImagePipeline.Abstractions;

namespace ImagePipeline.Strategies.Ebs.Parameters;

/// <summary>How often to poll AWS and how long to wait for one resource, from --poll-delay and --max-wait.</summary>
public sealed record WaitSettings(TimeSpan PollDelay, TimeSpan MaxWait)
{
    public static WaitSettings From(IParameterValues parameters) =>
        new(parameters.Get(CommonParameters.PollDelay), parameters.Get(CommonParameters.MaxWait));
}
