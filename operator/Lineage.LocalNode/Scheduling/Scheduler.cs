using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Lineage.LocalNode.Pods;
using Lineage.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Lineage.LocalNode.Scheduling;

/// <summary>
/// Binds pending pods to the node when they fit (<see cref="SchedulingDecision"/>), and marks the others
/// <c>PodScheduled=False</c>, reason Unschedulable. Any pod change queues a pass over all pending pods; run with one
/// worker, so passes never overlap. Pods bound but not yet seen bound in the cache are held as "assumed", as
/// kube-scheduler's cache does, and so are processes still running for pods already gone.
/// </summary>
public sealed class Scheduler(
    Informer<V1Pod> pods, NodeView node, Func<IReadOnlyDictionary<string, ResourceList>> running,
    IKubernetes client, EventRecorder events, ILogger<Scheduler> log) : IReconciler<V1Pod>
{
    public const string SchedulerName = "default-scheduler";
    readonly PodBinder binder = new(client, log);
    readonly StatusWriter<V1Pod> statuses = new(new ResourceClient<V1Pod>(client));
    readonly ConcurrentDictionary<string, ResourceList> assumed = new();

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        var cached = pods.List();
        var holders = new Dictionary<string, ResourceList>(running());
        var present = new HashSet<string>();
        foreach (var pod in cached)
        {
            var uid = PodFacts.Uid(pod);
            present.Add(uid);
            if (pod.Spec?.NodeName == node.Name && !PodFacts.IsTerminal(pod)) holders[uid] = SchedulingDecision.Requests(pod);
            if (!string.IsNullOrEmpty(pod.Spec?.NodeName) || PodFacts.IsTerminal(pod)) assumed.TryRemove(uid, out _);
        }
        foreach (var uid in assumed.Keys.Where(u => !present.Contains(u))) assumed.TryRemove(uid, out _);
        foreach (var (uid, requests) in assumed) holders[uid] = requests;
        var inUse = holders.Values.Aggregate(new ResourceList(), (sum, r) => sum.Plus(r));

        var pending = cached.Where(p => IsPending(p) && !assumed.ContainsKey(PodFacts.Uid(p))).ToList();
        foreach (var outcome in SchedulingDecision.Decide(node, inUse, pending))
        {
            if (outcome.Bind) await BindAsync(outcome.Pod, ct).ConfigureAwait(false);
            else await MarkUnschedulableAsync(outcome.Pod, outcome.Message!, ct).ConfigureAwait(false);
        }
        return ReconcileResult.Done;
    }

    static bool IsPending(V1Pod pod) =>
        string.IsNullOrEmpty(pod.Spec?.NodeName) && !PodFacts.IsTerminal(pod) && pod.Metadata?.DeletionTimestamp is null
        && (string.IsNullOrEmpty(pod.Spec?.SchedulerName) || pod.Spec.SchedulerName == SchedulerName);

    async Task BindAsync(V1Pod pod, CancellationToken ct)
    {
        assumed[PodFacts.Uid(pod)] = SchedulingDecision.Requests(pod);
        try
        {
            await binder.BindAsync(pod, node.Name, ct).ConfigureAwait(false);
        }
        catch
        {
            assumed.TryRemove(PodFacts.Uid(pod), out _);
            throw;
        }
        log.LogInformation("bound pod {Pod} to {Node}", pod.Key(), node.Name);
        await events.RecordAsync(pod, EventType.Normal, "Scheduled", $"Successfully assigned {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} to {node.Name}", ct)
            .ConfigureAwait(false);
    }

    async Task MarkUnschedulableAsync(V1Pod pod, string message, CancellationToken ct)
    {
        var current = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (current is { Status: "False", Reason: "Unschedulable" } && current.Message == message) return;
        var now = DateTime.UtcNow;
        now = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        await statuses.UpdateAsync(pod.Key(), pod, p =>
        {
            p.Status ??= new V1PodStatus();
            p.Status.Phase ??= PodPhases.Pending;
            p.Status.Conditions ??= [];
            var existing = p.Status.Conditions.FirstOrDefault(c => c.Type == "PodScheduled");
            if (existing is not null) p.Status.Conditions.Remove(existing);
            p.Status.Conditions.Add(new V1PodCondition
            {
                Type = "PodScheduled",
                Status = "False",
                Reason = "Unschedulable",
                Message = message,
                LastTransitionTime = existing?.Status == "False" ? existing.LastTransitionTime : now,
            });
        }, ct).ConfigureAwait(false);
        await events.RecordAsync(pod, EventType.Warning, "FailedScheduling", message, ct).ConfigureAwait(false);
    }
}
