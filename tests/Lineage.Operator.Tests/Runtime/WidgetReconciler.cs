using System.Collections.Concurrent;
using k8s.Models;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Tests.Runtime;

/// <summary>
/// A small but real controller for the host tests: it owns a ConfigMap per Widget and writes the observed
/// size and the number of child Widgets (those whose spec.parent names it) into the status.
/// </summary>
public sealed class WidgetReconciler(ControllerHost host) : IReconciler<Widget>
{
    readonly ResourceClient<Widget> widgets = host.ClientFor<Widget>();
    readonly ResourceClient<V1ConfigMap> configMaps = host.ClientFor<V1ConfigMap>();
    readonly StatusWriter<Widget> status = new(host.ClientFor<Widget>());

    public ConcurrentDictionary<ObjectKey, int> Counts { get; } = new();
    public int Total => Counts.Values.Sum();

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        Counts.AddOrUpdate(key, 1, (_, n) => n + 1);
        var widget = await widgets.GetAsync(key, ct).ConfigureAwait(false);
        if (widget is null) return ReconcileResult.Done;

        var configKey = new ObjectKey(key.Namespace, key.Name + "-config");
        if (await configMaps.GetAsync(configKey, ct).ConfigureAwait(false) is null)
            await configMaps.CreateAsync(new V1ConfigMap
            {
                ApiVersion = "v1", Kind = "ConfigMap",
                Metadata = new V1ObjectMeta { Name = configKey.Name, NamespaceProperty = key.Namespace, OwnerReferences = [OwnerMapping.ControllerReference(widget)] },
                Data = new Dictionary<string, string> { ["size"] = widget.Spec.Size.ToString() },
            }, ct).ConfigureAwait(false);

        var children = host.InformerFor<Widget>().List().Count(w => w.Metadata.NamespaceProperty == key.Namespace && w.Spec.Parent == key.Name);
        await status.UpdateAsync(key, widget, w => w.Status = new WidgetStatus
        {
            ObservedSize = w.Spec.Size,
            Phase = children > 0 ? $"Parent of {children}" : "Ready",
        }, ct).ConfigureAwait(false);
        return ReconcileResult.Done;
    }
}
