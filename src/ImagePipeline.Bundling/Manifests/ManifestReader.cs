using System.Globalization;
using System.Text;
using System.Xml;
using ImagePipeline.Abstractions;

namespace ImagePipeline.Bundling.Manifests;

/// <summary>
/// Reads a NAME.manifest.xml written by this tool or by the AMI tools so that it can be read one way only: the whole
/// document must pass <see cref="StrictManifestXml"/>, <c>&lt;machine_configuration&gt;</c> and <c>&lt;image&gt;</c> must
/// each stand in the text exactly once, and the values are parsed from those two signed fragments, never from elsewhere.
/// </summary>
internal static class ManifestReader
{
    /// <summary>A manifest of 100,000 parts (1 TB) is about 15 MB; anything far larger is not a manifest.</summary>
    private const int MaxManifestBytes = 64 * 1024 * 1024;

    /// <summary>No EC2 volume is larger (64 TiB); a bigger declared image is a forgery or damage, not a disk.</summary>
    public const long MaxImageSize = 64L << 40;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<SignedManifest> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw PipelineException.Input($"The manifest '{path}' does not exist; pass the path of the bundle's NAME.manifest.xml.");
        }

        byte[] bytes;
        try
        {
            if (new FileInfo(path).Length > MaxManifestBytes)
            {
                throw PipelineException.Input($"The manifest '{path}' is larger than {MaxManifestBytes / (1024 * 1024)} MiB, far larger than any bundle manifest; pass the bundle's NAME.manifest.xml.");
            }

            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw PipelineException.Input($"The manifest '{path}' cannot be read ({ex.Message}); pass the path of the bundle's NAME.manifest.xml.", ex);
        }

        try
        {
            return Read(bytes);
        }
        catch (Exception ex) when (ex is XmlException or InvalidDataException or DecoderFallbackException)
        {
            throw new PipelineException($"The manifest '{path}' is not a valid bundle manifest: {OneLine(ex.Message)}; it was changed after bundling or not written by a bundle tool, so bundle the image again.", ex);
        }
    }

    internal static SignedManifest Read(byte[] bytes)
    {
        if (bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) || bytes.AsSpan().StartsWith(Encoding.Unicode.Preamble) || bytes.AsSpan().StartsWith(Encoding.BigEndianUnicode.Preamble))
        {
            throw new InvalidDataException("it starts with a byte-order mark, which the bundle tools never write");
        }

        var text = StrictUtf8.GetString(bytes);
        var document = StrictManifestXml.Parse(text);
        if (document.Value("version") != "2007-10-10")
        {
            throw new InvalidDataException($"its version is '{document.Value("version")}', not 2007-10-10");
        }

        var signature = document.Required("signature");
        var signedText = Fragment(text, "machine_configuration", document.Child("machine_configuration") is not null)
            + Fragment(text, "image", required: true);

        // The values come from the signed fragments alone: nothing outside them can change what is used.
        var signed = StrictManifestXml.Parse("<manifest>" + signedText + "</manifest>");
        return new SignedManifest(Values(signed), signedText, signature);
    }

    /// <summary>
    /// The text from <c>&lt;NAME&gt;</c> to <c>&lt;/NAME&gt;</c>, which must each occur exactly once. The strict parse
    /// allows no comment, CDATA or processing instruction, so every occurrence is real markup of the one element.
    /// </summary>
    private static string Fragment(string text, string name, bool required)
    {
        var open = "<" + name + ">";
        var close = "</" + name + ">";
        var opens = Occurrences(text, open);
        var closes = Occurrences(text, close);
        if (!required && opens.Count == 0 && closes.Count == 0)
        {
            return string.Empty;
        }

        if (opens.Count != 1 || closes.Count != 1 || closes[0] < opens[0])
        {
            throw new InvalidDataException($"it must hold {open}...{close} exactly once, written so, but it does not");
        }

        return text[opens[0]..(closes[0] + close.Length)];
    }

    private static List<int> Occurrences(string text, string value)
    {
        var found = new List<int>();
        for (var index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + 1, StringComparison.Ordinal))
        {
            found.Add(index);
        }

        return found;
    }

    private static BundleManifest Values(ManifestElement signed)
    {
        var machine = signed.Child("machine_configuration");
        var image = signed.Child("image") ?? throw new InvalidDataException("it has no <image> element");
        var parts = image.Child("parts") ?? throw new InvalidDataException("it has no <parts> element");
        var partList = parts.All("part")
            .Select(part => new ManifestPart(
                (int)Number(part.Attribute("index"), "part index", int.MaxValue),
                PlainFileName(part.Required("filename"), "<filename>"),
                Hex(part.Required("digest"), "part <digest>", 40)))
            .OrderBy(part => part.Index)
            .ToList();

        return new BundleManifest
        {
            Architecture = machine?.Value("architecture") ?? string.Empty,
            BlockDeviceMappings = machine?.Child("block_device_mapping")?.All("mapping")
                .Select(mapping => new KeyValuePair<string, string>(mapping.Required("virtual"), mapping.Required("device")))
                .ToList() ?? [],
            KernelId = machine?.Value("kernel_id"),
            RamdiskId = machine?.Value("ramdisk_id"),
            ProductCodes = machine?.Child("product_codes")?.All("product_code").Select(code => code.Text).ToList() ?? [],
            Name = PlainFileName(image.Required("name"), "<name>"),
            User = image.Value("user") ?? string.Empty,
            ImageType = image.Value("type") ?? "machine",
            AncestorAmiIds = image.Child("ancestry")?.All("ancestor_ami_id").Select(id => id.Text).ToList() ?? [],
            TarDigestSha1 = Hex(image.Required("digest"), "<digest>", 40),
            Size = Number(image.Required("size"), "<size>", MaxImageSize),
            BundledSize = Number(image.Required("bundled_size"), "<bundled_size>", long.MaxValue),
            Ec2EncryptedKey = image.Value("ec2_encrypted_key") ?? string.Empty,
            UserEncryptedKey = Hex(image.Required("user_encrypted_key"), "<user_encrypted_key>", null),
            Ec2EncryptedIv = image.Value("ec2_encrypted_iv") ?? string.Empty,
            UserEncryptedIv = Hex(image.Required("user_encrypted_iv"), "<user_encrypted_iv>", null),
            DeclaredPartCount = (int)Number(parts.Attribute("count"), "parts count", int.MaxValue),
            Parts = partList,
        };
    }

    private static long Number(string text, string what, long max)
    {
        if (text.Length is 0 or > 19 || !text.All(char.IsAsciiDigit)
            || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > max)
        {
            throw new InvalidDataException($"{what} '{Shorten(text)}' is not a whole number from 0 to {max}");
        }

        return value;
    }

    private static string Hex(string text, string what, int? length)
    {
        if (!text.All(char.IsAsciiHexDigit) || text.Length % 2 != 0 || (length is { } exact && text.Length != exact))
        {
            throw new InvalidDataException($"{what} '{Shorten(text)}' is not {(length is { } exact2 ? $"{exact2} " : string.Empty)}hex digits");
        }

        return text.ToLowerInvariant();
    }

    private static string PlainFileName(string text, string what) =>
        text is "." or ".." || text.Contains('/', StringComparison.Ordinal) || text.Contains('\\', StringComparison.Ordinal) || text.Any(char.IsControl)
            ? throw new InvalidDataException($"{what} '{Shorten(text)}' is not a plain file name")
            : text;

    private static string Shorten(string text) => OneLine(text.Length > 40 ? text[..40] + "..." : text);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
