namespace ImagePipeline.LocalCloud.Faults;

/// <summary>What a fault does to a call.</summary>
public enum FaultKind
{
    /// <summary>Answers as AWS throttles: S3 503 SlowDown, EC2 503 RequestLimitExceeded, STS 400 Throttling, SSM 400 ThrottlingException.</summary>
    Throttle,

    /// <summary>Answers 500 InternalError (SSM: InternalServerError) without doing the work.</summary>
    InternalError,

    /// <summary>Does the work, then sends the headers and part of the body and resets the connection.</summary>
    ResetResponse,

    /// <summary>Reads part of the request body, then resets the connection without doing the work.</summary>
    ResetRequestBody,

    /// <summary>Delays the call by <see cref="FaultRule.Latency"/>, then answers normally.</summary>
    Latency,

    /// <summary>
    /// Reads request bodies no faster than <see cref="FaultRule.BytesPerSecond"/> in all, shared by every call the rule
    /// hits at once (a link of that bandwidth), then answers normally.
    /// </summary>
    Bandwidth,

    /// <summary>
    /// Answers SendCommand normally, then makes the Run Command invocation end <c>Failed</c> with
    /// <see cref="FaultRule.ResponseCode"/> and <see cref="FaultRule.StandardError"/>, as a script that exits non-zero
    /// does; <see cref="FaultRule.CommandContains"/> picks which commands. Only SSM SendCommand calls match it.
    /// </summary>
    CommandFailure,
}
