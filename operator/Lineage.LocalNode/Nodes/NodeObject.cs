using System.Globalization;
using System.Runtime.InteropServices;
using k8s.Models;
using Lineage.LocalNode.Scheduling;

namespace Lineage.LocalNode.Nodes;

/// <summary>The core/v1 Node this node reports: capacity and allocatable (equal: nothing is reserved), labels, address, Ready.</summary>
public static class NodeObject
{
    public const string KubeletVersion = "v1.36.0-lineage-local";

    public static V1Node Build(NodeView node, DateTime now, DateTime? readySince) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta { Name = node.Name, Labels = new Dictionary<string, string>(node.Labels) },
        Status = new V1NodeStatus
        {
            Capacity = Quantities(node.Allocatable),
            Allocatable = Quantities(node.Allocatable),
            Addresses = [new V1NodeAddress { Address = "127.0.0.1", Type = "InternalIP" }, new V1NodeAddress { Address = node.Name, Type = "Hostname" }],
            Conditions =
            [
                new V1NodeCondition
                {
                    Type = "Ready",
                    Status = "True",
                    Reason = "KubeletReady",
                    Message = "kubelet is posting ready status",
                    LastHeartbeatTime = now,
                    LastTransitionTime = readySince ?? now,
                },
            ],
            NodeInfo = new V1NodeSystemInfo
            {
                Architecture = Architecture(),
                OperatingSystem = "linux",
                OsImage = RuntimeInformation.OSDescription,
                KernelVersion = Environment.OSVersion.Version.ToString(),
                KubeletVersion = KubeletVersion,
                KubeProxyVersion = "",
                ContainerRuntimeVersion = "local://processes",
                MachineID = "",
                SystemUUID = "",
                BootID = Processes.ProcStat.BootId(),
            },
        },
    };

    public static IReadOnlyDictionary<string, string> Labels(string name, IReadOnlyDictionary<string, string>? extra)
    {
        var labels = new Dictionary<string, string>
        {
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = Architecture(),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) labels[key] = value;
        return labels;
    }

    static Dictionary<string, ResourceQuantity> Quantities(ResourceList resources) => resources.Names.ToDictionary(
        n => n,
        n => new ResourceQuantity(n == ResourceList.Cpu
            ? resources[n] % 1000 == 0 ? (resources[n] / 1000).ToString(CultureInfo.InvariantCulture) : $"{resources[n]}m"
            : resources[n].ToString(CultureInfo.InvariantCulture)));

    static string Architecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };
}
