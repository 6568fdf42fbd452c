namespace ImagePipeline.LocalCloud;

/// <summary>
/// The two accounts the local cloud knows. These keys are published in the docs on purpose: they only open the
/// loopback emulator and are not secrets.
/// </summary>
public static class LocalCloudAccounts
{
    public const string AccessKeyId = "AKIALOCALCLOUD000001";
    public const string SecretAccessKey = "localcloud/secret/not-a-real-key/0000000000";
    public const string AccountId = "123456789012";

    public const string OtherAccessKeyId = "AKIALOCALCLOUDOTHER1";
    public const string OtherSecretAccessKey = "localcloud/secret/not-a-real-key/other00001";
    public const string OtherAccountId = "210987654321";

    /// <summary>The account behind an access key, or null when the key is unknown.</summary>
    public static string? AccountOf(string accessKeyId) => accessKeyId switch
    {
        AccessKeyId => AccountId,
        OtherAccessKeyId => OtherAccountId,
        _ => null,
    };

    /// <summary>The secret of a known access key, or null when the key is unknown.</summary>
    public static string? SecretOf(string accessKeyId) => accessKeyId switch
    {
        AccessKeyId => SecretAccessKey,
        OtherAccessKeyId => OtherSecretAccessKey,
        _ => null,
    };
}
