using Amazon.Runtime;

namespace ImagePipeline.Aws;

/// <summary>
/// The local cloud's published primary account: what the host signs with for <c>--cloud local</c>. Not a secret; it
/// opens only the loopback emulator. The server side is <c>ImagePipeline.LocalCloud.LocalCloudAccounts</c>, which the
/// host does not reference (the local cloud runs in a process of its own); a test checks that the two agree.
/// </summary>
public static class LocalCloudAccount
{
    public const string AccessKeyId = "AKIALOCALCLOUD000001";

    public const string SecretAccessKey = "localcloud/secret/not-a-real-key/0000000000";

    public const string AccountId = "123456789012";

    public static AWSCredentials Credentials => new BasicAWSCredentials(AccessKeyId, SecretAccessKey);
}
