using System.Collections.Concurrent;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Controllers;

/// <summary>
/// What an object's spec renders (a trainer config and its validation), remembered per object for the spec that made
/// it: its uid, <c>metadata.generation</c> and whatever else went in (the input model). Reconciles that see the same
/// spec again — every status, Job or child event wakes one — reuse it instead of rendering YAML once more; an edit
/// bumps <c>metadata.generation</c> and renders afresh. The controller forgets an object when it is decided (a final
/// phase: its config is not needed again, and 2,000 finished runs would otherwise hold ~6 MB of YAML) or gone.
/// </summary>
public sealed class SpecMemo<T>
{
    readonly ConcurrentDictionary<ObjectKey, (string Version, T Value)> values = new();

    public T Get(ObjectKey key, string? uid, long? generation, string? extra, Func<T> render)
    {
        var version = $"{uid}/{generation}/{extra}";
        if (values.TryGetValue(key, out var known) && known.Version == version) return known.Value;
        var value = render();
        values[key] = (version, value);
        return value;
    }

    public void Forget(ObjectKey key) => values.TryRemove(key, out _);

    public int Count => values.Count;
}
