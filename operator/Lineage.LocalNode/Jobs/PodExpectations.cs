using Lineage.Operator.Runtime;

namespace Lineage.LocalNode.Jobs;

/// <summary>
/// The pod creations, deletions and finalizer removals a Job's earlier syncs issued and the pod informer has not
/// shown yet (the controller's ControllerExpectations and finalizer expectations). A sync manages pods only when
/// every create and delete has been observed, so an event that arrives twice never creates a second pod.
/// Records older than five minutes are considered satisfied, as in the real controller.
/// </summary>
public sealed class PodExpectations(TimeProvider? time = null)
{
    static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);
    readonly TimeProvider clock = time ?? TimeProvider.System;
    readonly Lock gate = new();
    readonly Dictionary<ObjectKey, (int Adds, int Deletes, DateTimeOffset Since)> counts = [];
    readonly Dictionary<ObjectKey, HashSet<string>> removals = [];

    public void ExpectCreations(ObjectKey job, int count) => Set(job, count, 0);

    public void ExpectDeletions(ObjectKey job, int count) => Set(job, 0, count);

    public void CreationObserved(ObjectKey job) => Lower(job, adds: 1, deletes: 0);

    public void DeletionObserved(ObjectKey job) => Lower(job, adds: 0, deletes: 1);

    public bool Satisfied(ObjectKey job)
    {
        lock (gate)
        {
            if (!counts.TryGetValue(job, out var c)) return true;
            return (c.Adds <= 0 && c.Deletes <= 0) || clock.GetUtcNow() - c.Since > Ttl;
        }
    }

    public void ExpectFinalizerRemovals(ObjectKey job, IEnumerable<string> uids)
    {
        lock (gate)
        {
            if (!removals.TryGetValue(job, out var set)) removals[job] = set = [];
            set.UnionWith(uids);
        }
    }

    public void FinalizerRemovalObserved(ObjectKey job, string uid)
    {
        lock (gate)
        {
            if (removals.TryGetValue(job, out var set) && set.Remove(uid) && set.Count == 0) removals.Remove(job);
        }
    }

    public IReadOnlySet<string> FinalizerRemovalsInFlight(ObjectKey job)
    {
        lock (gate) return removals.TryGetValue(job, out var set) ? set.ToHashSet() : new HashSet<string>();
    }

    /// <summary>Forgets a Job (it was deleted).</summary>
    public void Forget(ObjectKey job)
    {
        lock (gate)
        {
            counts.Remove(job);
            removals.Remove(job);
        }
    }

    void Set(ObjectKey job, int adds, int deletes)
    {
        lock (gate) counts[job] = (adds, deletes, clock.GetUtcNow());
    }

    void Lower(ObjectKey job, int adds, int deletes)
    {
        lock (gate)
        {
            if (counts.TryGetValue(job, out var c)) counts[job] = (c.Adds - adds, c.Deletes - deletes, c.Since);
        }
    }
}
