namespace ImagePipeline.Abstractions;

/// <summary>What a path names, as <see cref="FileKinds"/> tells it without opening it.</summary>
public enum FileKind
{
    /// <summary>Nothing is there (or a symbolic link points at nothing).</summary>
    Missing,

    RegularFile,

    Directory,

    BlockDevice,

    /// <summary>A character device: /dev/zero or /dev/urandom stream forever.</summary>
    CharacterDevice,

    /// <summary>A named pipe: opening it blocks until a writer comes.</summary>
    Fifo,

    Socket,

    /// <summary>Something the platform could not tell (off Linux, only files and folders are told apart).</summary>
    Unknown,
}
