using Lineage.LocalNode.Processes;
using Lineage.LocalNode.Scheduling;
using Lineage.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Lineage.LocalNode.Containers;

/// <summary>
/// Run once when the node starts, before it serves anything: every container a previous run of the node started
/// (a process record in a pod's folder) and whose end it did not see is stopped if it still runs (SIGTERM, then
/// SIGKILL after its grace period, at most the node's shutdown grace) and recorded as ended
/// (ContainerStatusUnknown, "the local node restarted while the container was running"); its pod is then reported
/// Failed, and its Job replaces it. Containers whose end was recorded are reported as they ended.
/// </summary>
internal static class NodeRecovery
{
    public const string LostMessage = "The local node restarted while the container was running; its processes were stopped so that no work is done twice.";

    public static async Task<IReadOnlyList<PodRuntime>> RecoverAsync(PodDirectories dirs, TimeSpan maxGrace, ILogger log, CancellationToken ct)
    {
        var recovered = new List<PodRuntime>();
        if (!Directory.Exists(dirs.PodsRoot)) return recovered;
        foreach (var dir in Directory.EnumerateDirectories(dirs.PodsRoot))
        {
            var path = dirs.Record(Path.GetFileName(dir));
            if (ProcessRecord.Load(path) is not { } record) continue;
            if (record.Exit is null)
            {
                var grace = TimeSpan.FromSeconds(Math.Min(record.GracePeriodSeconds, maxGrace.TotalSeconds));
                var killed = await Leftovers.KillAsync(record, grace, ct).ConfigureAwait(false);
                if (killed > 0)
                    log.LogWarning("pod {Namespace}/{Pod}: stopped {Count} leftover process(es) of its container (pid {Pid}) from before the node restarted",
                        record.PodNamespace, record.PodName, killed, record.Pid);
                var now = DateTime.UtcNow;
                record = record with { Exit = new ContainerExit(137, ContainerExit.StatusUnknown, LostMessage, new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc)) };
                record.Save(path);
            }
            var view = new ContainerView(record.Container, record.Image)
            {
                StartedAt = record.Pid > 0 ? record.StartedAt : null,
                Pid = record.Pid > 0 ? record.Pid : null,
                Exit = record.Exit,
            };
            var reason = record.Exit!.Reason == ContainerExit.StatusUnknown ? Kubelet.NodeRestartedReason : null;
            recovered.Add(new PodRuntime(new ObjectKey(record.PodNamespace, record.PodName), record.PodUid, record.StartedAt, view,
                new ResourceList(record.Requests), path, reason));
        }
        return recovered;
    }
}
