using System.Collections.Concurrent;

namespace Lineage.Operator.Runtime;

/// <summary>
/// Objects a controller created but its informer has not delivered yet (kube-controller-manager's "expectations"):
/// a reconcile that runs in between sees no object in the cache and would create it again, meeting AlreadyExists.
/// Until the informer observes the object — or <see cref="Ttl"/> passes, should the event never come — the creation
/// counts as done. The host marks every object its informers deliver as observed.
/// </summary>
public sealed class CreationExpectations(TimeProvider? clock = null)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    readonly TimeProvider clock = clock ?? TimeProvider.System;
    readonly ConcurrentDictionary<(KindInfo Kind, ObjectKey Key), DateTimeOffset> pending = new();

    /// <summary>This controller just created the object (call after the create succeeded).</summary>
    public void Created(KindInfo kind, ObjectKey key) => pending[(kind, key)] = clock.GetUtcNow();

    /// <summary>The informer delivered the object: the cache holds it from now on.</summary>
    public void Observed(KindInfo kind, ObjectKey key) => pending.TryRemove((kind, key), out _);

    /// <summary>True while a creation is still on its way to the cache.</summary>
    public bool Pending(KindInfo kind, ObjectKey key)
    {
        if (!pending.TryGetValue((kind, key), out var since)) return false;
        if (clock.GetUtcNow() - since < Ttl) return true;
        pending.TryRemove((kind, key), out _);
        return false;
    }
}
