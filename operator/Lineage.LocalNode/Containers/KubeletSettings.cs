using Lineage.LocalNode.Scheduling;

namespace Lineage.LocalNode.Containers;

/// <summary>What the kubelet needs to know about its node.</summary>
internal sealed record KubeletSettings(
    string NodeName,
    PodDirectories Directories,
    ImageCommands Images,
    IReadOnlyDictionary<string, string> BaseEnvironment,
    ResourceList Allocatable,
    bool EnforceMemoryLimits,
    TimeSpan ShutdownGrace)
{
    public const string HostIp = "127.0.0.1";
}
