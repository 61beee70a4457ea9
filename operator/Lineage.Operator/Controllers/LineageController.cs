using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Decisions;
using Lineage.Operator.Observability;
using Lineage.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Lineage.Operator.Controllers;

/// <summary>
/// Lineage: fetch (gone or deleting: done — its Generations go with it through their owner references), observe the
/// Generations it controls from the informer cache, decide, then apply: the next Generation created once by its
/// stable name (with the Generation finalizer already on, so the child needs no metadata update of its own), status
/// written only when changed and paced by <see cref="LineageStatusPacing"/> (progress of a generation in flight waits;
/// births, verdicts and phase changes do not), then the Events: a Born Event only when this call created the child,
/// telling the Normal verdicts that led to it; when it did not, those verdicts are Events of their own. A Generation it just
/// bred counts as observed, as created, until the cache holds it: the status written in the pass that bred it already
/// shows it in flight (history, count, condition), so its arrival in the cache writes nothing.
/// </summary>
public sealed class LineageController(Cluster cluster, ClusterCache cache, IEventSink events, DomainMetrics metrics, TimeProvider clock,
    StorageSpec? defaultStorage, ILogger logger) : IReconciler<LineageResource>
{
    /// <summary>When this process last wrote each Lineage's status (a restart starts with none: its first change is written at once).</summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<ObjectKey, DateTime> statusWritten = new();

    /// <summary>The Generation each Lineage (by key) last bred, until the cache holds it or <see cref="CreationExpectations.Ttl"/> passes.</summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<ObjectKey, (Generation Generation, DateTimeOffset At)> births = new();

    /// <summary>Status writes whose echo the cache has not received: a child's event can wake the next pass before it.</summary>
    readonly OwnWrites<LineageResource> ownWrites = new();

    /// <summary>The Lineage informer received a version of <paramref name="lineage"/> (register on it: <see cref="OwnWrites{T}.Observed"/>).</summary>
    public void Observed(LineageResource lineage) => ownWrites.Observed(lineage);

    /// <summary>Status writes remembered until the cache receives them (none once the cache has caught up).</summary>
    public int PendingOwnWrites => ownWrites.Count;

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        var lineage = ClusterCache.Writable(ownWrites.Latest(key, cache.Lineage(key)));
        if (lineage is null)
        {
            ownWrites.Forget(key);
            statusWritten.TryRemove(key, out _);
            births.TryRemove(key, out _);
            metrics.ForgetLineage(key);
            return ReconcileResult.Done;
        }
        if (lineage.Metadata.DeletionTimestamp is not null) return ReconcileResult.Done;

        var now = Now();
        var generations = WithOwnBirth(key, lineage, cache.GenerationsOf(lineage));
        var plan = LineageDecision.Decide(new LineageObservation(lineage, generations, now, defaultStorage));
        var childKey = plan.Breed is { } breed ? new ObjectKey(key.Namespace, breed.Metadata.Name) : default;
        Generation? made = null;
        var born = false;
        if (plan.Breed is { } child && cache.Generation(childKey) is null && !cache.Creating<Generation>(childKey)
            && await ApiConflicts.CreateIfAbsentAsync(async () => made = await cluster.Generations.CreateAsync(WithFinalizer(child), ct).ConfigureAwait(false)).ConfigureAwait(false))
        {
            cache.Created<Generation>(childKey);
            births[key] = (made!, clock.GetUtcNow());
            logger.LogInformation("Lineage {Lineage}: bred {Generation}", key, child.Metadata.Name);
            born = true;
            // The status tells the child as born (in flight, counted, in the history): one write for verdict and birth.
            plan = plan with { Status = LineageDecision.Decide(new LineageObservation(lineage, [.. generations, made!], now, defaultStorage)).Status };
        }
        // The Born Event tells this pass's Normal verdicts; when nothing was born (the child was there already) each is its own Event.
        IReadOnlyList<EventIntent> due = born ? [plan.BornTelling!, .. plan.Events] : plan.WithoutBirth;
        if (!StatusJson.Same(lineage.Status, plan.Status))
        {
            var wait = LineageStatusPacing.Wait(lineage.Status, plan.Status, due.Count, statusWritten.TryGetValue(key, out var last) ? last : null, now);
            if (wait is { } w) return ReconcileResult.After(w); // never after a birth: its Event makes the write due now
            lineage.Status = plan.Status;
            try
            {
                var baseVersion = lineage.Metadata.ResourceVersion;
                lineage = await cluster.Lineages.ReplaceStatusAsync(lineage, ct).ConfigureAwait(false);
                ownWrites.Wrote(baseVersion, lineage, cachedNow: cache.Lineage(key));
            }
            catch (Exception e) when (born || ApiConflicts.IsConflict(e))
            {
                // The child is born, so its Event is due whatever the write did; the verdicts are not in the status, and the
                // next pass that writes them tells them.
                if (born) await events.RecordAsync(lineage, plan.BornEvent!, ct).ConfigureAwait(false);
                if (ApiConflicts.IsConflict(e)) return ReconcileResult.After(TimeSpan.FromMilliseconds(200));
                throw;
            }
            statusWritten[key] = now;
        }
        // Events follow the status that holds what they tell (an unchanged status tells nothing new: none are due).
        foreach (var e in due) await events.RecordAsync(lineage, e, ct).ConfigureAwait(false);
        metrics.ObserveLineage(key, lineage);
        return ReconcileResult.Done;
    }

    /// <summary>The Lineage's Generations in the cache, and the one it bred that the cache does not hold yet.</summary>
    IReadOnlyList<Generation> WithOwnBirth(ObjectKey key, LineageResource lineage, IReadOnlyList<Generation> cached)
    {
        if (!births.TryGetValue(key, out var birth)) return cached;
        if (cached.Any(g => g.Metadata.Name == birth.Generation.Metadata.Name) || clock.GetUtcNow() - birth.At >= CreationExpectations.Ttl
            || birth.Generation.Metadata.OwnerReferences?.Any(o => o.Uid == lineage.Metadata.Uid) != true)
        {
            births.TryRemove(key, out _);
            return cached;
        }
        return [.. cached, birth.Generation];
    }

    /// <summary>The Generation controller's finalizer, put on at birth: the same object it would otherwise add in an update of its own.</summary>
    static Generation WithFinalizer(Generation child)
    {
        child.Metadata.Finalizers = [.. child.Metadata.Finalizers ?? [], WellKnown.Finalizer];
        return child;
    }

    DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }
}
