using ImagePipeline.LocalCloud;

namespace ImagePipeline.Aws.Tests;

public sealed class LocalCloudAccountTests
{
    [Fact]
    public void The_account_the_host_signs_with_for_the_local_cloud_is_the_one_the_local_cloud_accepts()
    {
        LocalCloudAccounts.AccountOf(LocalCloudAccount.AccessKeyId).Should().Be(LocalCloudAccount.AccountId);
        LocalCloudAccounts.SecretOf(LocalCloudAccount.AccessKeyId).Should().Be(LocalCloudAccount.SecretAccessKey);
    }
}
