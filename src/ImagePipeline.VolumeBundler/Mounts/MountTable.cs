using System.Globalization;
using System.Text;

namespace ImagePipeline.VolumeBundler.Mounts;

/// <summary>
/// The mounts of this process's namespace, from /proc/self/mountinfo. When a path has been mounted on more than once,
/// the last mount is the visible one.
/// </summary>
internal sealed class MountTable
{
    /// <summary>
    /// The file-system types ec2-bundle-vol 1.5.3 (mtab.rb) counts as local: their mounts under the volume are copied;
    /// any other mount is left out unless --all is given.
    /// </summary>
    public static readonly IReadOnlySet<string> LocalTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "ext2", "ext3", "ext4", "xfs", "jfs", "reiserfs", "tmpfs",
    };

    private readonly Dictionary<string, MountEntry> _byMountPoint;

    public MountTable(IEnumerable<MountEntry> entries)
    {
        _byMountPoint = new Dictionary<string, MountEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            _byMountPoint[entry.MountPoint] = entry;
        }
    }

    public static MountTable Load(string path = "/proc/self/mountinfo") => new(Parse(File.ReadAllLines(path)));

    public MountEntry? At(string mountPoint) => _byMountPoint.GetValueOrDefault(mountPoint);

    /// <summary>Whether a file system on the block device numbered "major:minor" is mounted anywhere.</summary>
    public bool HasMountFrom(string deviceNumber) => _byMountPoint.Values.Any(entry => entry.DeviceNumber == deviceNumber);

    public static IEnumerable<MountEntry> Parse(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length < 10 || separator < 6 || separator + 3 > fields.Length)
            {
                continue;
            }

            yield return new MountEntry(
                Unescape(fields[4]),
                Unescape(fields[separator + 1]),
                Unescape(fields[separator + 2]),
                fields[2]);
        }
    }

    /// <summary>mountinfo writes space, tab, newline and backslash as \040, \011, \012 and \134.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var bytes = new List<byte>(field.Length);
        for (var index = 0; index < field.Length; index++)
        {
            if (field[index] == '\\' && index + 3 < field.Length
                && int.TryParse(field.AsSpan(index + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                bytes.Add(Convert.ToByte(field.Substring(index + 1, 3), 8));
                index += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(field[index].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
