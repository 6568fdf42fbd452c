using System.Xml.Linq;
using static ImagePipeline.LocalCloud.Ec2.Ec2Xml;

namespace ImagePipeline.LocalCloud.Ec2;

/// <summary>DescribeInstanceTypes over <see cref="InstanceTypeCatalog"/>.</summary>
internal static class InstanceTypeOperations
{
    public static XElement Describe(Ec2Call call)
    {
        var names = call.Query.List("InstanceType");
        var unknown = names.Where(n => InstanceTypeCatalog.Find(n) is null).ToList();
        if (unknown.Count > 0)
        {
            throw Ec2Errors.InvalidParameterValue($"The following supplied instance types do not exist: [{string.Join(", ", unknown)}]");
        }

        var filters = call.Query.Filters();
        var types = (names.Count > 0 ? names.Select(n => InstanceTypeCatalog.Find(n)!) : InstanceTypeCatalog.All.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
            .Where(t => Ec2Filters.Matches(filters, f => f switch
            {
                "instance-type" => [t.Name],
                "processor-info.supported-architecture" => t.Architectures,
                "current-generation" => [Bool(t.CurrentGeneration)],
                "supported-root-device-type" => t.InstanceStoreRoot ? ["ebs", "instance-store"] : ["ebs"],
                "supported-virtualization-type" => t.VirtualizationTypes,
                "vcpu-info.default-vcpus" => [Number(t.VCpus)],
                "memory-info.size-in-mib" => [Number(t.MemoryMiB)],
                "hypervisor" => [t.Hypervisor],
                _ => null,
            }, []))
            .ToList();
        var (page, next) = Ec2Paging.Apply(call, types, 5, 100, "InstanceType");
        return call.Response(new XElement(Ns + "instanceTypeSet", page.Select(t => Item(
            E("instanceType", t.Name),
            E("currentGeneration", Bool(t.CurrentGeneration)),
            E("supportedUsageClasses", new[] { Item("on-demand"), Item("spot") }),
            E("supportedRootDeviceTypes", t.InstanceStoreRoot ? new[] { Item("ebs"), Item("instance-store") } : [Item("ebs")]),
            E("supportedVirtualizationTypes", t.VirtualizationTypes.Select(v => Item(v))),
            E("bareMetal", "false"),
            E("hypervisor", t.Hypervisor),
            E("processorInfo", new object[] { E("supportedArchitectures", t.Architectures.Select(a => Item(a))) }),
            E("vCpuInfo", new object[] { E("defaultVCpus", t.VCpus) }),
            E("memoryInfo", E("sizeInMiB", t.MemoryMiB)),
            E("instanceStorageSupported", Bool(t.InstanceStoreRoot)),
            E("ebsInfo", new object[] { E("ebsOptimizedSupport", t.CurrentGeneration ? "default" : "unsupported"), E("encryptionSupport", "supported"), E("nvmeSupport", t.Hypervisor == "nitro" ? "required" : "unsupported") }),
            E("freeTierEligible", Bool(t.Name is "t2.micro" or "t3.micro")),
            E("autoRecoverySupported", "true")))), next);
    }
}
