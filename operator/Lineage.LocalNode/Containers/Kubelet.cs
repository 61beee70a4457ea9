using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Lineage.LocalNode.Pods;
using Lineage.LocalNode.Processes;
using Lineage.LocalNode.Scheduling;
using Lineage.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Lineage.LocalNode.Containers;

/// <summary>
/// Runs the pods bound to this node as local processes and reports them as a kubelet does. Per pod: admit it
/// (its requests fit), start its container (<see cref="ContainerStarter"/>), write its status from what the process
/// does (<see cref="PodStatusBuilder"/>); when it is deleted, SIGTERM its processes and SIGKILL them after the grace
/// period; once it is gone, remove its folders. After a restart of the node, containers it had started are found
/// from their records (<see cref="NodeRecovery"/>), killed if still running, and reported Failed.
/// </summary>
public sealed class Kubelet : IReconciler<V1Pod>
{
    public const string NodeRestartedReason = "NodeRestarted";
    static readonly TimeSpan MinimumGrace = TimeSpan.FromSeconds(2);

    readonly Informer<V1Pod> pods;
    readonly KubeletSettings settings;
    readonly EventRecorder events;
    readonly ILogger log;
    readonly TimeProvider clock;
    readonly ContainerStarter starter;
    readonly PodStatusReporter reporter;
    readonly ConcurrentDictionary<string, PodRuntime> runtimes = new();
    readonly ConcurrentDictionary<ObjectKey, string> uidByKey = new();
    readonly ConcurrentDictionary<string, byte> finished = new();
    readonly ConcurrentDictionary<string, int> startAttempts = new();
    readonly ConcurrentDictionary<string, Task> retiring = new();
    volatile bool stopping;

    internal Kubelet(Informer<V1Pod> pods, IKubernetes client, KubeletSettings settings, EventRecorder events, ILogger log, TimeProvider? time = null)
    {
        this.pods = pods;
        this.settings = settings;
        this.events = events;
        this.log = log;
        clock = time ?? TimeProvider.System;
        starter = new ContainerStarter(client, settings, log);
        reporter = new PodStatusReporter(client, clock);
    }

    /// <summary>The queue that reconciles pods (set when the kubelet is registered); a process's exit queues its pod.</summary>
    internal WorkQueue? Queue { get; set; }

    /// <summary>Called when resources are freed, so pending pods are scheduled again.</summary>
    internal Action ResourcesFreed { get; set; } = () => { };

    /// <summary>Pods whose processes run (or start) on this node and what they requested: they hold the node's resources.</summary>
    public IReadOnlyDictionary<string, ResourceList> Running() =>
        runtimes.Values.Where(r => r.IsRunning).ToDictionary(r => r.Uid, r => r.Requests);

    /// <summary>Takes on the runtimes found by <see cref="NodeRecovery"/> (before the informers start).</summary>
    internal void Adopt(IEnumerable<PodRuntime> recovered)
    {
        foreach (var runtime in recovered)
        {
            runtimes[runtime.Uid] = runtime;
            uidByKey[runtime.Key] = runtime.Uid;
        }
    }

    /// <summary>Once the pod cache is complete: queue every recovered pod, and remove folders of pods that are gone.</summary>
    internal void AfterSync()
    {
        foreach (var key in uidByKey.Keys) Queue?.Add(key);
        var known = pods.List().Select(PodFacts.Uid).ToHashSet();
        if (!Directory.Exists(settings.Directories.PodsRoot)) return;
        foreach (var dir in Directory.EnumerateDirectories(settings.Directories.PodsRoot))
        {
            var uid = Path.GetFileName(dir);
            if (known.Contains(uid) || runtimes.ContainsKey(uid)) continue;
            try { settings.Directories.Remove(uid, null, null); }
            catch (IOException e) { log.LogWarning("could not remove the folder of gone pod {Uid}: {Error}", uid, e.Message); }
        }
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        var pod = pods.Get(key);
        if (uidByKey.TryGetValue(key, out var knownUid) && knownUid != pod?.Metadata.Uid)
        {
            // The pod is gone (or replaced by a namesake): stop its container and clean up.
            uidByKey.TryRemove(new KeyValuePair<ObjectKey, string>(key, knownUid));
            Retire(key, knownUid);
        }
        if (pod is null || pod.Spec?.NodeName != settings.NodeName) return ReconcileResult.Done;
        var uid = pod.Metadata.Uid;
        uidByKey[key] = uid;
        var deleting = pod.Metadata.DeletionTimestamp is not null;

        if (!runtimes.TryGetValue(uid, out var runtime))
        {
            if (finished.ContainsKey(uid) || PodFacts.IsTerminal(pod))
            {
                if (deleting && PodFacts.IsTerminal(pod)) await reporter.FinalDeleteAsync(pod, ct).ConfigureAwait(false);
                return ReconcileResult.Done;
            }
            if (LooksStarted(pod)) runtime = Lost(pod, "The local node restarted while the container was running; no record of its process was found.");
            else if (deleting)
            {
                await reporter.FinalDeleteAsync(pod, ct).ConfigureAwait(false);
                return ReconcileResult.Done;
            }
            else
            {
                var (started, retry) = await StartAsync(pod, ct).ConfigureAwait(false);
                if (started is null) return retry is { } after ? ReconcileResult.After(after) : ReconcileResult.Done;
                runtime = started;
            }
        }

        if (deleting && runtime.Terminate(Grace(pod)))
        {
            log.LogInformation("pod {Pod} is being deleted: stopping its container (grace {Grace})", key, Grace(pod));
            await events.RecordAsync(pod, EventType.Normal, "Killing", $"Stopping container {pod.Spec.Containers[0].Name}", ct).ConfigureAwait(false);
        }
        var view = runtime.View();
        var written = await reporter.WriteAsync(pod, view, ct).ConfigureAwait(false);
        if (runtime.HasExited && written is not null && PodFacts.IsTerminal(written))
        {
            // The end is reported: the pod is done on this node. Its volumes go now (a model cache can be large);
            // its logs stay for kubectl logs until the pod is deleted.
            finished[uid] = 0;
            runtimes.TryRemove(uid, out _);
            reporter.Forget(uid);
            runtime.Dispose();
            try { settings.Directories.RemovePod(uid); }
            catch (IOException e) { log.LogWarning("pod {Pod} ended, but its folder could not be removed: {Error}", key, e.Message); }
            if (deleting) await reporter.FinalDeleteAsync(written, ct).ConfigureAwait(false);
        }
        return ReconcileResult.Done;
    }

    /// <summary>Admits, prepares and starts a pod's container; on a configuration error reports it and asks to be retried.</summary>
    async Task<(PodRuntime? Runtime, TimeSpan? Retry)> StartAsync(V1Pod pod, CancellationToken ct)
    {
        var uid = pod.Metadata.Uid;
        var now = Now();
        var startTime = pod.Status?.StartTime ?? now;
        if (pod.Spec.Containers is not { Count: 1 } || pod.Spec.InitContainers is { Count: > 0 })
        {
            await ReportWaitingAsync(pod, startTime, new ContainerConfigError(ContainerConfigError.CreateContainerError,
                $"the local node runs pods of exactly one container and no init containers; this pod has {pod.Spec.Containers?.Count ?? 0} containers and {pod.Spec.InitContainers?.Count ?? 0} init containers"), ct)
                .ConfigureAwait(false);
            return (null, null);
        }
        var container = pod.Spec.Containers[0];
        var requests = SchedulingDecision.Requests(pod);
        if (Misfit(uid, requests) is { } rejection)
        {
            finished[uid] = 0;
            await reporter.WriteAsync(pod, new PodView(startTime, null) { Rejected = true, Reason = rejection.Reason, Message = rejection.Message }, ct).ConfigureAwait(false);
            await events.RecordAsync(pod, EventType.Warning, rejection.Reason, rejection.Message, ct).ConfigureAwait(false);
            return (null, null);
        }

        ProcessSpec spec;
        try
        {
            spec = await starter.PlanAsync(pod, container, ct).ConfigureAwait(false);
        }
        catch (ContainerConfigError error)
        {
            await ReportWaitingAsync(pod, startTime, error, ct).ConfigureAwait(false);
            var attempt = startAttempts.AddOrUpdate(uid, 1, (_, n) => n + 1);
            return (null, TimeSpan.FromMilliseconds(Math.Min(10_000, 500 * Math.Pow(2, Math.Min(attempt - 1, 10)))));
        }
        startAttempts.TryRemove(uid, out _);

        var recordPath = settings.Directories.Record(uid);
        var view = new ContainerView(container.Name, container.Image ?? "");
        var runtime = new PodRuntime(pod.Key(), uid, startTime, view, requests, recordPath) { Grace = Grace(pod) };
        if (ContainerStarter.Locate(spec) is null)
        {
            runtime.Ended(new ContainerExit(128, "StartError", $"exec: \"{spec.FileName}\": executable file not found in $PATH", now));
            runtimes[uid] = runtime;
            await events.RecordAsync(pod, EventType.Warning, "Failed", $"Error: exec: \"{spec.FileName}\": executable file not found in $PATH", ct).ConfigureAwait(false);
            return (runtime, null);
        }
        runtimes[uid] = runtime;
        try
        {
            var process = starter.Start(pod, container, spec, requests, (int)runtime.Grace.TotalSeconds, now, recordPath);
            runtime.Started(process, now);
            _ = WatchAsync(runtime, process, pod, container, spec);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            runtime.Ended(new ContainerExit(128, "StartError", e.Message, now));
            return (runtime, null);
        }
        await events.RecordAsync(pod, EventType.Normal, "Started", $"Started container {container.Name}", ct).ConfigureAwait(false);
        return (runtime, null);
    }

    /// <summary>Waits for the process to end, records how (durably, before reporting it) and queues the pod.</summary>
    async Task WatchAsync(PodRuntime runtime, ContainerProcess process, V1Pod pod, V1Container container, ProcessSpec spec)
    {
        var (code, oom) = await process.Exited.ConfigureAwait(false);
        // A node that is stopping kills its containers; their records stay open, so the next start reports them as lost.
        if (stopping)
        {
            runtime.EndedUnrecorded();
            return;
        }
        var message = TerminationMessage.Read(settings.Directories.TerminationLog(runtime.Uid, container.Name), spec.LogPath,
            container.TerminationMessagePolicy, code);
        var exit = new ContainerExit(oom ? 137 : code, ContainerExit.ReasonFor(code, oom), message, Now());
        log.LogInformation("pod {Pod} container {Container} exited with {Code} ({Reason})", runtime.Key, container.Name, exit.ExitCode, exit.Reason);
        if (ProcessRecord.Load(runtime.RecordPath) is { } record) (record with { Exit = exit }).Save(runtime.RecordPath);
        runtime.Ended(exit);
        Queue?.Add(runtime.Key);
        ResourcesFreed();
    }

    /// <summary>Stops a gone pod's container (with its grace period) in the background, then removes its folders.</summary>
    void Retire(ObjectKey key, string uid)
    {
        finished.TryRemove(uid, out _);
        reporter.Forget(uid);
        startAttempts.TryRemove(uid, out _);
        var task = Task.Run(async () =>
        {
            try
            {
                if (runtimes.TryGetValue(uid, out var runtime))
                {
                    runtime.Terminate(runtime.Grace);
                    await runtime.WhenExitedAsync().ConfigureAwait(false);
                    runtimes.TryRemove(uid, out _);
                    runtime.Dispose();
                }
                if (!stopping) settings.Directories.Remove(uid, key.Namespace, key.Name);
                log.LogInformation("pod {Pod} ({Uid}) is gone from the node", key, uid);
            }
            catch (Exception e)
            {
                log.LogWarning(e, "pod {Pod} ({Uid}) is gone, but its folders could not be removed", key, uid);
            }
            ResourcesFreed();
        });
        retiring[uid] = task;
        _ = task.ContinueWith(_ => retiring.TryRemove(uid, out var _), TaskScheduler.Default);
    }

    /// <summary>A pod whose container a previous run of the node started and no longer runs: reported Failed.</summary>
    PodRuntime Lost(V1Pod pod, string message)
    {
        var container = pod.Spec.Containers[0];
        var status = pod.Status?.ContainerStatuses?.FirstOrDefault();
        var view = new ContainerView(container.Name, container.Image ?? "") { StartedAt = status?.State?.Running?.StartedAt };
        var runtime = new PodRuntime(pod.Key(), pod.Metadata.Uid, pod.Status?.StartTime ?? Now(), view, SchedulingDecision.Requests(pod),
            settings.Directories.Record(pod.Metadata.Uid), NodeRestartedReason);
        runtime.Ended(new ContainerExit(137, ContainerExit.StatusUnknown, message, Now()));
        runtimes[runtime.Uid] = runtime;
        return runtime;
    }

    static bool LooksStarted(V1Pod pod) =>
        pod.Status?.Phase == PodPhases.Running
        || pod.Status?.ContainerStatuses?.Any(s => s.State?.Running is not null || s.State?.Terminated is not null) == true;

    (string Reason, string Message)? Misfit(string uid, ResourceList requests)
    {
        var used = runtimes.Values.Where(r => r.IsRunning && r.Uid != uid).Aggregate(new ResourceList(), (sum, r) => sum.Plus(r.Requests));
        foreach (var name in requests.Names)
        {
            if (name is "ephemeral-storage" || requests[name] <= 0) continue;
            if (requests[name] + used[name] <= settings.Allocatable[name]) continue;
            var reason = name == ResourceList.Pods ? "OutOfpods" : $"OutOf{name}";
            return (reason, $"Pod was rejected: Node didn't have enough resource: {name}, requested: {requests[name]}, used: {used[name]}, capacity: {settings.Allocatable[name]}");
        }
        return null;
    }

    async Task ReportWaitingAsync(V1Pod pod, DateTime startTime, ContainerConfigError error, CancellationToken ct)
    {
        var container = pod.Spec.Containers?.FirstOrDefault();
        var view = new PodView(startTime, new ContainerView(container?.Name ?? "", container?.Image ?? "") { WaitingReason = error.Reason, WaitingMessage = error.Message });
        var before = pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Message;
        await reporter.WriteAsync(pod, view, ct).ConfigureAwait(false);
        if (before == error.Message) return;
        log.LogInformation("pod {Pod} cannot start: {Reason}: {Message}", pod.Key(), error.Reason, error.Message);
        var (reason, message) = error.Reason == ContainerConfigError.ContainerCreating ? ("FailedMount", error.Message) : ("Failed", $"Error: {error.Message}");
        await events.RecordAsync(pod, EventType.Warning, reason, message, ct).ConfigureAwait(false);
    }

    /// <summary>The deletion's grace period, else the pod's terminationGracePeriodSeconds (30 s), at least 2 s as the kubelet enforces.</summary>
    static TimeSpan Grace(V1Pod pod)
    {
        var seconds = pod.Metadata.DeletionGracePeriodSeconds ?? pod.Spec?.TerminationGracePeriodSeconds ?? 30;
        var grace = TimeSpan.FromSeconds(seconds);
        return grace < MinimumGrace ? MinimumGrace : grace;
    }

    /// <summary>
    /// Stops every container: SIGTERM, SIGKILL after the grace period (at most the node's shutdown grace). Their
    /// records stay open, so the next start of the node reports these pods as lost.
    /// </summary>
    internal async Task StopAsync()
    {
        stopping = true;
        var running = runtimes.Values.Where(r => r.IsRunning).ToList();
        foreach (var runtime in running) runtime.Terminate(runtime.Grace < settings.ShutdownGrace ? runtime.Grace : settings.ShutdownGrace);
        try
        {
            await Task.WhenAll(running.Select(r => r.WhenExitedAsync()).Concat(retiring.Values))
                .WaitAsync(settings.ShutdownGrace + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            log.LogWarning("some containers had not exited {Grace} after SIGKILL; the next start of the node looks for them", settings.ShutdownGrace);
        }
        foreach (var runtime in runtimes.Values) runtime.Dispose();
    }

    DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }
}
