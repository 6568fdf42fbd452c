using System.Globalization;
using ImagePipeline.Abstractions;
using ImagePipeline.Aws;
using ImagePipeline.Instances.Launching;

namespace ImagePipeline;

/// <summary>
/// The parameters of one ImagePipeline call from build code, Nuke tool-task style: immutable, each <c>Set…</c>/<c>Add…</c>
/// returns a changed copy. Unset values come from the environment (<c>IMAGEPIPELINE_*</c>), <c>.nuke/parameters.json</c>
/// and the defaults, as on the command line; relative paths resolve against the current folder.
/// </summary>
public sealed record ImagePipelineSettings
{
    public CloudKind? Cloud { get; init; }
    public Uri? EndpointUrl { get; init; }
    public string? Region { get; init; }
    public BackingStore? BackingStore { get; init; }
    public Platform? Platform { get; init; }
    /// <summary>A named strategy a plugin adds (<c>--strategy</c>).</summary>
    public string? Strategy { get; init; }
    public string? AmiName { get; init; }
    public string? AmiDescription { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];
    public IReadOnlyList<string> CopyToRegions { get; init; } = [];
    public bool? ForceDeregister { get; init; }
    public string? InstanceId { get; init; }
    public string? InstanceHost { get; init; }
    public string? ImageFile { get; init; }
    public string? Bucket { get; init; }
    public string? AccountId { get; init; }
    public string? Architecture { get; init; }
    public string? X509CertPath { get; init; }
    public string? X509KeyPath { get; init; }
    /// <summary>Secret: masked in every output, never saved.</summary>
    public string? X509KeyPassphrase { get; init; }
    public string? Ec2CertPath { get; init; }
    public TimeSpan? PollDelay { get; init; }
    public TimeSpan? MaxWait { get; init; }
    public bool? KeepOnFailure { get; init; }
    /// <summary>A run id, or <c>latest</c>: continue that run after its last completed step.</summary>
    public string? Resume { get; init; }
    public IReadOnlyList<string> Plugins { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> InstanceTags { get; init; } = [];
    public IReadOnlyList<string> ProvisionScripts { get; init; } = [];
    /// <summary><c>SOURCE=DESTINATION</c> items.</summary>
    public IReadOnlyList<string> ProvisionFiles { get; init; } = [];
    /// <summary>Environment values of the provisioning scripts, shown in logs.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ProvisionEnv { get; init; } = [];
    /// <summary>Secret environment values of the provisioning scripts: masked in every output, never saved.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ProvisionSecrets { get; init; } = [];
    public string? ParametersFile { get; init; }
    public bool? Verbose { get; init; }
    /// <summary>Where the console output goes; standard output when null.</summary>
    public TextWriter? Output { get; init; }
    /// <summary>Where errors go; standard error when null.</summary>
    public TextWriter? Error { get; init; }
    internal IReadOnlyList<(ParameterDefinition Parameter, string Text)> PluginParameters { get; init; } = [];

    // The built-in strategies' own parameters, set by the typed setters below: build code cannot reference the built-in
    // plugins' Parameter<T> fields (plugins load at run time), so their names are spelled here, once.
    internal IReadOnlyList<(string Name, string Text)> BuiltInParameters { get; init; } = [];

    public ImagePipelineSettings SetCloud(CloudKind cloud) => this with { Cloud = cloud };
    public ImagePipelineSettings SetEndpointUrl(Uri endpointUrl) => this with { EndpointUrl = endpointUrl };
    public ImagePipelineSettings SetRegion(string region) => this with { Region = region };
    public ImagePipelineSettings SetBackingStore(BackingStore backingStore) => this with { BackingStore = backingStore };
    public ImagePipelineSettings SetPlatform(Platform platform) => this with { Platform = platform };
    public ImagePipelineSettings SetStrategy(string strategy) => this with { Strategy = strategy };
    public ImagePipelineSettings SetAmiName(string amiName) => this with { AmiName = amiName };
    public ImagePipelineSettings SetAmiDescription(string amiDescription) => this with { AmiDescription = amiDescription };
    public ImagePipelineSettings AddTag(string key, string value) => this with { Tags = [.. Tags, KeyValuePair.Create(key, value)] };
    public ImagePipelineSettings SetCopyToRegions(params string[] regions) => this with { CopyToRegions = regions };
    public ImagePipelineSettings SetForceDeregister(bool forceDeregister) => this with { ForceDeregister = forceDeregister };
    public ImagePipelineSettings SetInstanceId(string instanceId) => this with { InstanceId = instanceId };
    public ImagePipelineSettings SetInstanceHost(string instanceHost) => this with { InstanceHost = instanceHost };
    public ImagePipelineSettings SetImageFile(string imageFile) => this with { ImageFile = imageFile };
    public ImagePipelineSettings SetBucket(string bucket) => this with { Bucket = bucket };
    public ImagePipelineSettings SetAccountId(string accountId) => this with { AccountId = accountId };
    public ImagePipelineSettings SetArchitecture(string architecture) => this with { Architecture = architecture };
    public ImagePipelineSettings SetX509CertPath(string path) => this with { X509CertPath = path };
    public ImagePipelineSettings SetX509KeyPath(string path) => this with { X509KeyPath = path };
    public ImagePipelineSettings SetX509KeyPassphrase(string passphrase) => this with { X509KeyPassphrase = passphrase };
    public ImagePipelineSettings SetEc2CertPath(string path) => this with { Ec2CertPath = path };
    public ImagePipelineSettings SetPollDelay(TimeSpan delay) => this with { PollDelay = delay };
    public ImagePipelineSettings SetMaxWait(TimeSpan maxWait) => this with { MaxWait = maxWait };
    public ImagePipelineSettings SetKeepOnFailure(bool keepOnFailure) => this with { KeepOnFailure = keepOnFailure };
    public ImagePipelineSettings SetResume(string runId) => this with { Resume = runId };
    public ImagePipelineSettings AddPlugin(string path) => this with { Plugins = [.. Plugins, path] };
    public ImagePipelineSettings SetParametersFile(string path) => this with { ParametersFile = path };
    public ImagePipelineSettings SetVerbose(bool verbose) => this with { Verbose = verbose };
    public ImagePipelineSettings SetOutput(TextWriter output) => this with { Output = output };
    public ImagePipelineSettings SetError(TextWriter error) => this with { Error = error };

    public ImagePipelineSettings SetSshUser(string user) => WithBuiltIn("ssh-user", user);
    public ImagePipelineSettings SetSshKey(string path) => WithBuiltIn("ssh-key", path);
    public ImagePipelineSettings SetSshPort(int port) => WithBuiltIn("ssh-port", port);
    public ImagePipelineSettings SetSshHostKeyFingerprint(string fingerprint) => WithBuiltIn("ssh-host-key-fingerprint", fingerprint);
    public ImagePipelineSettings SetBundlePrefix(string prefix) => WithBuiltIn("bundle-prefix", prefix);
    public ImagePipelineSettings SetBundleDestination(string path) => WithBuiltIn("bundle-destination", path);
    public ImagePipelineSettings SetUploadConcurrency(int parts) => WithBuiltIn("upload-concurrency", parts);
    public ImagePipelineSettings SetNoReboot(bool noReboot) => WithBuiltIn("no-reboot", noReboot);
    public ImagePipelineSettings SetGeneralize(bool generalize) => WithBuiltIn("generalize", generalize);
    public ImagePipelineSettings SetShareWithAccounts(params string[] accountIds) => WithBuiltIn("share-with-accounts", accountIds);
    public ImagePipelineSettings SetEncryptCopies(bool encrypt) => WithBuiltIn("encrypt-copies", encrypt);
    public ImagePipelineSettings SetKmsKeyId(string keyId) => WithBuiltIn("kms-key-id", keyId);
    public ImagePipelineSettings SetRootVolumeSize(int gibibytes) => WithBuiltIn("root-volume-size", gibibytes);
    public ImagePipelineSettings SetAttachedDevicePath(string template) => WithBuiltIn("attached-device-path", template);
    public ImagePipelineSettings SetKernelId(string kernelId) => WithBuiltIn("kernel-id", kernelId);
    public ImagePipelineSettings SetRamdiskId(string ramdiskId) => WithBuiltIn("ramdisk-id", ramdiskId);

    // How the volume bundler images a live volume (an instance-store bundle, or an EBS image of an instance-store instance).
    public ImagePipelineSettings SetVolume(string mountPoint) => SetParameter(VolumeImageParameters.Volume, mountPoint);
    public ImagePipelineSettings SetVolumeExclude(params string[] folders) => SetParameter(VolumeImageParameters.VolumeExclude, folders);
    public ImagePipelineSettings SetVolumeInclude(params string[] files) => SetParameter(VolumeImageParameters.VolumeInclude, files);
    public ImagePipelineSettings SetVolumeNoFilter(bool noFilter) => SetParameter(VolumeImageParameters.VolumeNoFilter, noFilter);
    public ImagePipelineSettings SetVolumeAllMounts(bool allMounts) => SetParameter(VolumeImageParameters.VolumeAllMounts, allMounts);
    public ImagePipelineSettings SetVolumeFstab(string path) => SetParameter(VolumeImageParameters.VolumeFstab, path);
    public ImagePipelineSettings SetVolumeGenerateFstab(bool generate) => SetParameter(VolumeImageParameters.VolumeGenerateFstab, generate);
    public ImagePipelineSettings SetVolumePartition(VolumePartitionTable table) => SetParameter(VolumeImageParameters.VolumePartition, table);

    // LaunchInstance: the instance to capture, started from a base image.
    public ImagePipelineSettings SetSourceAmi(string imageId) => SetParameter(CommonParameters.SourceAmi, imageId);
    /// <summary>Items of <c>--source-ami-filter</c>: <c>name=PATTERN</c>, <c>owner=amazon</c> (repeatable), <c>architecture=arm64</c>, <c>virtualization-type=hvm</c>, <c>root-device-type=ebs</c>.</summary>
    public ImagePipelineSettings SetSourceAmiFilter(params string[] items) => SetParameter(CommonParameters.SourceAmiFilter, items);
    public ImagePipelineSettings SetSourceAmiMostRecent(bool mostRecent) => SetParameter(LaunchParameters.SourceAmiMostRecent, mostRecent);
    public ImagePipelineSettings SetInstanceType(string instanceType) => SetParameter(LaunchParameters.InstanceType, instanceType);
    public ImagePipelineSettings SetSubnetId(string subnetId) => SetParameter(LaunchParameters.SubnetId, subnetId);
    public ImagePipelineSettings SetIamInstanceProfile(string nameOrArn) => SetParameter(LaunchParameters.IamInstanceProfile, nameOrArn);
    public ImagePipelineSettings SetUserDataFile(string path) => SetParameter(LaunchParameters.UserDataFile, path);
    public ImagePipelineSettings SetAssociatePublicIp(bool associate) => SetParameter(LaunchParameters.AssociatePublicIp, associate);
    public ImagePipelineSettings AddInstanceTag(string key, string value) => this with { InstanceTags = [.. InstanceTags, KeyValuePair.Create(key, value)] };
    public ImagePipelineSettings SetSshKeyPairName(string keyPairName) => SetParameter(LaunchParameters.SshKeyPairName, keyPairName);
    public ImagePipelineSettings SetSecurityGroupIds(params string[] groupIds) => SetParameter(LaunchParameters.SecurityGroupIds, groupIds);
    public ImagePipelineSettings SetSshSourceCidr(string cidr) => SetParameter(LaunchParameters.SshSourceCidr, cidr);
    public ImagePipelineSettings SetKeepInstance(bool keep) => SetParameter(LaunchParameters.KeepInstance, keep);

    // ProvisionInstance: scripts run in order, files uploaded first, environment values given to the scripts.
    public ImagePipelineSettings AddProvisionScript(string path) => this with { ProvisionScripts = [.. ProvisionScripts, path] };
    public ImagePipelineSettings AddProvisionFile(string source, string destination) => this with { ProvisionFiles = [.. ProvisionFiles, $"{source}={destination}"] };
    public ImagePipelineSettings AddProvisionEnv(string name, string value) => this with { ProvisionEnv = [.. ProvisionEnv, KeyValuePair.Create(name, value)] };
    /// <summary>Secret: the value is masked in every output, never saved (at least 8 characters).</summary>
    public ImagePipelineSettings AddProvisionSecret(string name, string value) => this with { ProvisionSecrets = [.. ProvisionSecrets, KeyValuePair.Create(name, value)] };

    /// <summary>A parameter a plugin declares (its <see cref="Parameter{T}"/> field), typed as the plugin declares it.</summary>
    public ImagePipelineSettings SetParameter<T>(Parameter<T> parameter, T value)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return this with { PluginParameters = [.. PluginParameters.Where(set => set.Parameter.Name != parameter.Name), (parameter, Text(value))] };
    }

    /// <summary>The command line these settings stand for (<c>--name=value</c>, so a value starting with dashes stays a value).</summary>
    internal IEnumerable<string> ToArguments()
    {
        var named = new (string Name, string? Value)[]
        {
            ("cloud", Cloud is { } cloud ? KebabCase.From(cloud) : null),
            ("endpoint-url", EndpointUrl?.ToString()),
            ("region", Region),
            ("backing-store", BackingStore is { } store ? KebabCase.From(store) : null),
            ("platform", Platform is { } platform ? KebabCase.From(platform) : null),
            ("strategy", Strategy),
            ("ami-name", AmiName),
            ("ami-description", AmiDescription),
            ("tags", Tags.Count == 0 ? null : string.Join(',', Tags.Select(tag => $"{tag.Key}={tag.Value}"))),
            ("copy-to-regions", CopyToRegions.Count == 0 ? null : string.Join(',', CopyToRegions)),
            ("force-deregister", Text(ForceDeregister)),
            ("instance-id", InstanceId),
            ("instance-host", InstanceHost),
            ("image-file", ImageFile),
            ("bucket", Bucket),
            ("account-id", AccountId),
            ("architecture", Architecture),
            ("x509-cert-path", X509CertPath),
            ("x509-key-path", X509KeyPath),
            ("x509-key-passphrase", X509KeyPassphrase),
            ("ec2-cert-path", Ec2CertPath),
            ("poll-delay", PollDelay is { } delay ? Text(delay.TotalSeconds) : null),
            ("max-wait", MaxWait is { } wait ? Text(wait.TotalSeconds) : null),
            ("keep-on-failure", Text(KeepOnFailure)),
            ("resume", Resume),
            ("plugin", Plugins.Count == 0 ? null : string.Join(',', Plugins)),
            ("parameters-file", ParametersFile),
            ("verbose", Text(Verbose)),
            ("instance-tags", InstanceTags.Count == 0 ? null : string.Join(',', InstanceTags.Select(tag => $"{tag.Key}={tag.Value}"))),
            ("provision-script", ProvisionScripts.Count == 0 ? null : string.Join(',', ProvisionScripts)),
            ("provision-file", ProvisionFiles.Count == 0 ? null : string.Join(',', ProvisionFiles)),
            ("provision-env", ProvisionEnv.Count == 0 ? null : string.Join(',', ProvisionEnv.Select(pair => $"{pair.Key}={pair.Value}"))),
            ("provision-secret", ProvisionSecrets.Count == 0 ? null : string.Join(',', ProvisionSecrets.Select(pair => $"{pair.Key}={pair.Value}"))),
        };
        return named.Where(pair => pair.Value is not null).Select(pair => $"--{pair.Name}={pair.Value}")
            .Concat(BuiltInParameters.Select(set => $"--{set.Name}={set.Text}"))
            .Concat(PluginParameters.Select(set => $"--{set.Parameter.Name}={set.Text}"));
    }

    private ImagePipelineSettings WithBuiltIn(string name, object value) =>
        this with { BuiltInParameters = [.. BuiltInParameters.Where(set => set.Name != name), (name, Text(value))] };

    private static string? Text(bool? value) => value is { } flag ? (flag ? "true" : "false") : null;

    private static string Text(object value) => value switch
    {
        bool flag => flag ? "true" : "false",
        TimeSpan span => span.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        Enum member => KebabCase.From(member.ToString()),
        string[] list => string.Join(',', list),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
