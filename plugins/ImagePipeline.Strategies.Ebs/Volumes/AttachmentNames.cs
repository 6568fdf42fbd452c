using ImagePipeline.Abstractions;
using ImagePipeline.Strategies.Ebs.Parameters;

namespace ImagePipeline.Strategies.Ebs.Volumes;

/// <summary>
/// The names an attached volume goes by: the one it is attached as (/dev/sdf…/dev/sdp, as AWS recommends for EBS
/// volumes of Linux instances), and where the instance shows it: an NVMe instance by the volume id, a Xen one as
/// /dev/xvdX or /dev/sdX, a system of its own where --attached-device-path says.
/// </summary>
public static class AttachmentNames
{
    /// <summary>The letters of /dev/sdf…/dev/sdp.</summary>
    public static IReadOnlyList<string> Letters { get; } = [.. "fghijklmnop".Select(letter => letter.ToString())];

    /// <summary>The letter of a device name such as /dev/sdf, /dev/xvdf or /dev/sdf1; null for other names.</summary>
    public static string? LetterOf(string deviceName)
    {
        var name = deviceName.StartsWith("/dev/", StringComparison.Ordinal) ? deviceName[5..] : deviceName;
        name = name.StartsWith("xvd", StringComparison.Ordinal) ? name[3..] : name.StartsWith("sd", StringComparison.Ordinal) ? name[2..] : null;
        return name is { Length: > 0 } && char.IsAsciiLetterLower(name[0]) ? name[..1] : null;
    }

    /// <summary>
    /// Shell tests, one per place the volume attached with the letter in <c>$LETTERVARIABLE</c> may show on the instance:
    /// --attached-device-path (any file: the local cloud shows a volume as its backing file), then block devices only,
    /// by the NVMe name of <paramref name="volumeId"/> (when given), /dev/xvdX and /dev/sdX. Each is <c>[ … ]</c> on one quoted path.
    /// </summary>
    public static IReadOnlyList<(string Test, string Path)> Candidates(IParameterValues parameters, string letterVariable, string? volumeId)
    {
        var candidates = new List<(string, string)>();
        if (parameters.GetOrDefault(EbsParameters.AttachedDevicePath) is { } template)
        {
            candidates.Add(("-e", string.Join($"\"sd${letterVariable}\"", template.Split("{device}").Select(RemoteCommands.Quote))));
        }

        if (volumeId is not null)
        {
            candidates.Add(("-b", RemoteCommands.Quote("/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_" + volumeId.Replace("-", string.Empty, StringComparison.Ordinal))));
        }

        candidates.Add(("-b", $"\"/dev/xvd${letterVariable}\""));
        candidates.Add(("-b", $"\"/dev/sd${letterVariable}\""));
        return candidates;
    }
}
