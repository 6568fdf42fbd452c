namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>
/// What cloud-init does with a launch's key pair: its public key goes into the login user's authorized_keys
/// (<see cref="LocalCloudOptions.AuthorizedKeysFile"/>), once. A new file is made readable by its owner only, as sshd
/// insists.
/// </summary>
internal static class AuthorizedKeys
{
    public static void Append(string path, string publicKey)
    {
        if (File.Exists(path) && File.ReadLines(path).Any(line => line.Trim() == publicKey))
        {
            return;
        }

        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, options);
        writer.Write(publicKey + "\n");
    }
}
