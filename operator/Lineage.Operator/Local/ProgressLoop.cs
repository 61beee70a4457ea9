using System.Text.Json;
using k8s;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;
using Spectre.Console;

namespace Lineage.Operator.Local;

/// <summary>
/// Reads the lineages once a second and shows them (a live table on a terminal; change lines, or JSON lines, otherwise)
/// until every lineage is done.
/// </summary>
public static class ProgressLoop
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static async Task<IReadOnlyList<LineageRow>> RunAsync(IKubernetes client, bool json, IAnsiConsole console, CancellationToken ct)
    {
        var lineages = new ResourceClient<LineageResource>(client);
        var generations = new ResourceClient<Generation>(client);
        var grpoRuns = new ResourceClient<GrpoRun>(client);
        var distillations = new ResourceClient<Distillation>(client);
        IReadOnlyList<LineageRow> rows = [];

        async Task<IReadOnlyList<LineageRow>> ReadAsync()
        {
            try
            {
                return LineageSnapshot.Of(await lineages.ListAsync(null, null, ct).ConfigureAwait(false), await generations.ListAsync(null, null, ct).ConfigureAwait(false),
                    await grpoRuns.ListAsync(null, null, ct).ConfigureAwait(false), await distillations.ListAsync(null, null, ct).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return rows; // a passing API error: show the last known state
            }
        }
        static bool Done(IReadOnlyList<LineageRow> rows) => rows.Count > 0 && rows.All(r => r.Done);

        if (!json && console.Profile.Capabilities.Interactive)
        {
            rows = await ReadAsync().ConfigureAwait(false);
            await console.Live(LocalView.Table(rows, DateTime.UtcNow)).AutoClear(false).StartAsync(async live =>
            {
                while (!Done(rows))
                {
                    await Task.Delay(Interval, ct).ConfigureAwait(false);
                    rows = await ReadAsync().ConfigureAwait(false);
                    live.UpdateTarget(LocalView.Table(rows, DateTime.UtcNow));
                }
            }).ConfigureAwait(false);
            return rows;
        }

        while (true)
        {
            var next = await ReadAsync().ConfigureAwait(false);
            foreach (var line in LocalView.Changes(rows, next, DateTime.UtcNow))
                Console.WriteLine(json ? JsonSerializer.Serialize(new { change = line }) : line);
            rows = next;
            if (Done(rows)) return rows;
            await Task.Delay(Interval, ct).ConfigureAwait(false);
        }
    }
}
