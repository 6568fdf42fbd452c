namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>One instance type as DescribeInstanceTypes describes it (the parts RunInstances checks, and sizes).</summary>
internal sealed record InstanceTypeInfo(
    string Name, string[] Architectures, int VCpus, int MemoryMiB, bool InstanceStoreRoot, string[] VirtualizationTypes, bool CurrentGeneration, string Hypervisor);

/// <summary>
/// The instance types the local cloud knows: common current ones (x86_64: t2, t3, t3a, m5, c5, r5, m6i, c6i; arm64:
/// t4g, m6g, c6g, r6g, c7g, m7g) and the previous-generation ones that still boot instance-store images (m1, m3, c3).
/// An unknown type is refused, as EC2 refuses a misspelt one.
/// </summary>
internal static class InstanceTypeCatalog
{
    private static readonly string[] X86 = ["x86_64"];
    private static readonly string[] X86AndI386 = ["i386", "x86_64"];
    private static readonly string[] Arm = ["arm64"];
    private static readonly string[] Hvm = ["hvm"];
    private static readonly string[] HvmAndPv = ["hvm", "paravirtual"];

    private static readonly (string Size, int VCpus, int MemoryGiBTimes4)[] Burstable =
        [("nano", 2, 2), ("micro", 2, 4), ("small", 2, 8), ("medium", 2, 16), ("large", 2, 32), ("xlarge", 4, 64), ("2xlarge", 8, 128)];

    public static IReadOnlyDictionary<string, InstanceTypeInfo> All { get; } = Build();

    public static InstanceTypeInfo? Find(string name) => All.GetValueOrDefault(name);

    private static Dictionary<string, InstanceTypeInfo> Build()
    {
        var types = new List<InstanceTypeInfo>();
        foreach (var (size, cpus, memory4) in Burstable)
        {
            var memory = memory4 * 256;
            types.Add(new("t2." + size, X86AndI386, size is "nano" or "micro" or "small" ? 1 : cpus, memory, false, Hvm, true, "xen"));
            types.Add(new("t3." + size, X86, cpus, memory, false, Hvm, true, "nitro"));
            types.Add(new("t3a." + size, X86, cpus, memory, false, Hvm, true, "nitro"));
            types.Add(new("t4g." + size, Arm, cpus, memory, false, Hvm, true, "nitro"));
        }

        // General purpose 4 GiB per vCPU, compute 2, memory 8.
        foreach (var (family, architectures, memoryPerCpu) in new[]
        {
            ("m5", X86, 4), ("c5", X86, 2), ("r5", X86, 8), ("m6i", X86, 4), ("c6i", X86, 2),
            ("m6g", Arm, 4), ("c6g", Arm, 2), ("r6g", Arm, 8), ("c7g", Arm, 2), ("m7g", Arm, 4),
        })
        {
            foreach (var (size, cpus) in new[] { ("large", 2), ("xlarge", 4), ("2xlarge", 8), ("4xlarge", 16) })
            {
                types.Add(new($"{family}.{size}", architectures, cpus, cpus * memoryPerCpu * 1024, false, Hvm, true, "nitro"));
            }
        }

        types.Add(new("m6g.medium", Arm, 1, 4096, false, Hvm, true, "nitro"));
        types.Add(new("c6g.medium", Arm, 1, 2048, false, Hvm, true, "nitro"));
        types.Add(new("c7g.medium", Arm, 1, 2048, false, Hvm, true, "nitro"));

        // Previous generation, with instance storage that can hold an instance-store root device.
        types.Add(new("m1.small", X86AndI386, 1, 1740, true, ["paravirtual"], false, "xen"));
        types.Add(new("m1.medium", X86AndI386, 1, 3840, true, ["paravirtual"], false, "xen"));
        types.Add(new("m3.medium", X86AndI386, 1, 3840, true, HvmAndPv, false, "xen"));
        types.Add(new("m3.large", X86, 2, 7680, true, HvmAndPv, false, "xen"));
        types.Add(new("m3.xlarge", X86, 4, 15360, true, HvmAndPv, false, "xen"));
        types.Add(new("c3.large", X86AndI386, 2, 3840, true, HvmAndPv, false, "xen"));
        types.Add(new("c3.xlarge", X86, 4, 7680, true, HvmAndPv, false, "xen"));
        return types.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }
}
