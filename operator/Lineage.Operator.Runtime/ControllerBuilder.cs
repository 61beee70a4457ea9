using k8s;
using k8s.Models;

namespace Lineage.Operator.Runtime;

/// <summary>
/// Declares what wakes a controller up, like controller-runtime's builder:
/// <c>host.For&lt;Parent&gt;(reconciler).Owns&lt;V1Job&gt;().Watches&lt;Other&gt;(map)</c>.
/// </summary>
public sealed class ControllerBuilder<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    readonly ControllerHost host;
    readonly ControllerRegistration registration;

    internal ControllerBuilder(ControllerHost host, ControllerRegistration registration)
    {
        this.host = host;
        this.registration = registration;
    }

    public string Name => registration.Name;
    public WorkQueue Queue => registration.Queue;

    /// <summary>Changes of a <typeparamref name="TChild"/> reconcile the <typeparamref name="T"/> that controls it (ownerReference with controller: true).</summary>
    public ControllerBuilder<T> Owns<TChild>() where TChild : class, IKubernetesObject<V1ObjectMeta>
    {
        var owner = KindInfo.Of<T>();
        host.InformerFor<TChild>().AddHandler(child =>
        {
            if (OwnerMapping.ControllerOf(child, owner) is { } key) registration.Queue.Add(key);
        });
        return this;
    }

    /// <summary>Changes of a <typeparamref name="TOther"/> reconcile the keys <paramref name="map"/> returns (e.g. a parent's children).</summary>
    public ControllerBuilder<T> Watches<TOther>(Func<TOther, IEnumerable<ObjectKey>> map) where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        host.InformerFor<TOther>().AddHandler(other =>
        {
            foreach (var key in map(other)) registration.Queue.Add(key);
        });
        return this;
    }

    /// <summary>
    /// Skips changes of the primary object that touch only its status (typically the controller's own status
    /// writes): the spec (generation), labels, annotations, finalizers, owners and deletion still queue it, and
    /// so do resyncs and the <see cref="Owns{TChild}"/> and <see cref="Watches{TOther}"/> mappings.
    /// </summary>
    public ControllerBuilder<T> IgnoreStatusOnlyChanges()
    {
        registration.PrimaryFilter = ChangeFilters.SpecOrMetadataChanged;
        return this;
    }

    /// <summary>Concurrent reconciles for this controller (default: the host's <see cref="ControllerHostOptions.Workers"/>).</summary>
    public ControllerBuilder<T> WithWorkers(int workers)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), "workers must be at least 1");
        registration.Workers = workers;
        return this;
    }
}
