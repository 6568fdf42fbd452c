using ImagePipeline.VolumeBundler.Mounts;

namespace ImagePipeline.VolumeBundler.Tests;

public sealed class MountTableTests
{
    [Fact]
    public void Mount_points_with_escaped_spaces_are_read_and_the_last_mount_on_a_path_wins()
    {
        var table = new MountTable(MountTable.Parse(
        [
            "22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/root rw",
            "40 22 0:35 / /data\\040disk rw - tmpfs tmpfs rw",
            "41 40 0:36 / /data\\040disk rw - nfs4 server:/export rw",
        ]));

        table.At("/")!.DeviceNumber.Should().Be("259:1");
        table.At("/data disk")!.FileSystemType.Should().Be("nfs4");
        table.At("/data").Should().BeNull();
    }
}
