using ImagePipeline.Abstractions;

namespace ImagePipeline.Instances.Provisioning;

/// <summary>What ProvisionInstance keeps in the run state, so that a resumed run neither runs a script twice nor loses a folder it made.</summary>
public static class ProvisionState
{
    /// <summary>How many of the scripts have finished successfully, in order, and on which instance.</summary>
    public static readonly StateKey<ProvisionProgress> Progress = new("provision.progress");

    /// <summary>The names (never the values) of the <c>--provision-secret</c> values the run started with.</summary>
    public static readonly StateKey<string[]> SecretNames = new("provision.secret-names");

    /// <summary>The staging folder on a Linux instance while it exists.</summary>
    public static readonly StateKey<string> StagingFolder = new("provision.staging-folder");

    /// <summary>The SSM command of the Windows script that is running (on the instance of <see cref="Progress"/>), so that a resumed run waits for it instead of sending it again.</summary>
    public static readonly StateKey<string> RunCommandId = new("provision.run-command-id");
}
