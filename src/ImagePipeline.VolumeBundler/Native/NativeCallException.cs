using System.Runtime.InteropServices;

namespace ImagePipeline.VolumeBundler.Native;

/// <summary>A libc call failed: which call, on which path, and errno with its text.</summary>
internal sealed class NativeCallException : IOException
{
    public NativeCallException(string call, string path, int errno)
        : base($"{call} '{path}' failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        Errno = errno;
    }

    public NativeCallException()
    {
    }

    public NativeCallException(string message)
        : base(message)
    {
    }

    public NativeCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Errno { get; }
}
