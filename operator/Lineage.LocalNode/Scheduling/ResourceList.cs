using k8s.Models;

namespace Lineage.LocalNode.Scheduling;

/// <summary>
/// Amounts of resources in integral units: CPU in millicores, memory in bytes, extended resources (e.g.
/// <c>nvidia.com/gpu</c>) in counts. Missing names are zero.
/// </summary>
public sealed class ResourceList
{
    public const string Cpu = "cpu";
    public const string Memory = "memory";
    public const string Pods = "pods";
    public const string Gpu = "nvidia.com/gpu";

    readonly SortedDictionary<string, long> amounts = new(StringComparer.Ordinal);

    public ResourceList() { }

    public ResourceList(IEnumerable<KeyValuePair<string, long>> amounts)
    {
        foreach (var (name, amount) in amounts) this.amounts[name] = amount;
    }

    public long this[string name] => amounts.GetValueOrDefault(name);

    public IEnumerable<string> Names => amounts.Keys;

    public ResourceList Plus(ResourceList other)
    {
        var sum = new ResourceList(amounts);
        foreach (var (name, amount) in other.amounts) sum.amounts[name] = sum[name] + amount;
        return sum;
    }

    /// <summary>What a pod requests: the sum over its containers of requests, a limit standing in for a missing request (as API defaulting does).</summary>
    public static ResourceList RequestsOf(V1Pod pod)
    {
        var total = new ResourceList();
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            var requests = container.Resources?.Requests ?? new Dictionary<string, ResourceQuantity>();
            var limits = container.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>();
            foreach (var name in requests.Keys.Union(limits.Keys))
            {
                var quantity = requests.TryGetValue(name, out var r) ? r : limits[name];
                total.amounts[name] = total[name] + Amount(name, quantity);
            }
        }
        return total;
    }

    /// <summary>A quantity in this list's units: millicores for cpu, whole units (rounded up) for everything else.</summary>
    public static long Amount(string name, ResourceQuantity quantity)
    {
        var value = quantity.ToDecimal();
        return name == Cpu ? (long)Math.Ceiling(value * 1000) : (long)Math.Ceiling(value);
    }

    public override string ToString() => string.Join(", ", amounts.Select(a => $"{a.Key}={a.Value}"));
}
