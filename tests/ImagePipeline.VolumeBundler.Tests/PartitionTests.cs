using System.Text.Json;

namespace ImagePipeline.VolumeBundler.Tests;

public sealed class PartitionTests
{
    [Theory]
    [InlineData("mbr", "dos", 63)]
    [InlineData("gpt", "gpt", 4096)]
    public async Task A_partitioned_image_holds_the_volumes_file_system_in_its_first_partition(string scheme, string label, long start)
    {
        using var volume = TestVolume.Create(label: "part-root");
        File.WriteAllText(volume.Path("hello"), "partitioned");
        var certificates = TestCertificates.Write(Path.Combine(volume.Root, "certificates"), volume.Root);

        var run = await AgentProcess.RunAsync(
        [
            "--cert", certificates.UserCertificatePath, "--ec2cert", certificates.Ec2CertificatePath,
            "--volume", volume.MountPoint, "--size", "64", "--destination", Path.Combine(volume.Root, "bundle"), "--partition", scheme,
        ]);
        run.ExitCode.Should().Be(0, run.StandardError);
        var image = await HostSide.SealAndUnbundleAsync(HostSide.Bundle(run), certificates, Path.Combine(volume.Root, "restored"));

        using var table = JsonDocument.Parse(Shell.Run($"sfdisk --json {Shell.Quote(image)}"));
        var partitionTable = table.RootElement.GetProperty("partitiontable");
        partitionTable.GetProperty("label").GetString().Should().Be(label);
        var first = partitionTable.GetProperty("partitions")[0];
        first.GetProperty("start").GetInt64().Should().Be(start);
        var mountPoint = Directory.CreateDirectory(Path.Combine(volume.Root, "image-mount")).FullName;
        Shell.Run($"mount -o ro,loop,offset={start * 512} {Shell.Quote(image)} {Shell.Quote(mountPoint)}");
        File.ReadAllText(Path.Combine(mountPoint, "hello")).Should().Be("partitioned");
        Shell.Run($"blkid -p -o value -s LABEL $(findmnt -n -o SOURCE {Shell.Quote(mountPoint)})").Trim().Should().Be("part-root");
    }
}
