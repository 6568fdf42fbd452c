using System.Runtime.InteropServices;

namespace ImagePipeline.VolumeBundler.Native;

/// <summary>Linux system call numbers of the two architectures the program is built for.</summary>
internal static class SyscallNumbers
{
    private static readonly bool IsArm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    public static long Statx => IsArm64 ? 291 : 332;

    public static long MkNodAt => IsArm64 ? 33 : 259;
}
