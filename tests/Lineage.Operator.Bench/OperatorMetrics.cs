using System.Globalization;

namespace Lineage.Operator.Bench;

/// <summary>The operator's /metrics in Prometheus text format, summed over label sets.</summary>
public sealed class OperatorMetrics(string text)
{
    public double Sum(string name, string? labelContains = null)
    {
        var total = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var space = line.LastIndexOf(' ');
            var series = line[..space];
            var metric = series.IndexOf('{') is var brace and >= 0 ? series[..brace] : series;
            if (metric != name || (labelContains is not null && !series.Contains(labelContains, StringComparison.Ordinal))) continue;
            total += double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        return total;
    }

    /// <summary>Every series of <paramref name="name"/> with its labels, e.g. <c>{controller="generation",result="success"} 1000</c>.</summary>
    public IReadOnlyList<(string Labels, double Value)> Series(string name) =>
        text.Split('\n')
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal))
            .Select(l => (l[name.Length..l.LastIndexOf(' ')], double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))
            .ToList();

    public double Reconciles(string? controller = null) =>
        Sum("lineage_operator_reconcile_total", controller is null ? null : $"controller=\"{controller}\"");

    public double QueueDepth => Sum("lineage_operator_workqueue_depth");
}
