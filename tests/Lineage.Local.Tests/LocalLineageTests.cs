using k8s;
using k8s.Models;
using Lineage.Local.Tests.Support;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;

namespace Lineage.Local.Tests;

/// <summary>The whole path a user takes, in one process: manifests applied, Jobs run by the real trainer, the gate, the lineage done.</summary>
public sealed class LocalLineageTests : IDisposable
{
    readonly string data = Directory.CreateTempSubdirectory("lineage-local").FullName;

    [Fact]
    public async Task A_three_generation_lineage_grows_from_nothing_in_local_mode_and_its_state_survives_a_restart()
    {
        var manifest = TinyLineage.Write(data);
        await using (var run = LocalRun.Start(Path.Combine(data, "cluster"), "--apply", manifest, "--exit-when-done"))
        {
            var exit = await run.ExitAsync(TimeSpan.FromMinutes(8));
            Assert.True(exit == 0, $"local exited {exit}:\n{run.Output}");
            Assert.Contains("champion math-2", run.Output);
        }

        // The cluster's state is on disk: a second run (no --apply) serves the same lineage to a client.
        await using var again = LocalRun.Start(Path.Combine(data, "cluster"));
        using var client = await LocalRun.ClientAsync(Path.Combine(data, "cluster"), TimeSpan.FromMinutes(2));
        var lineage = await new ResourceClient<LineageResource>(client).GetAsync(new ObjectKey(TinyLineage.Namespace, TinyLineage.Name), default);
        Assert.Equal(LineagePhases.Complete, lineage?.Status?.Phase);
        Assert.Equal(["base", "grpo", "distill"], lineage!.Status!.History.Select(h => h.Step));
        Assert.All(lineage.Status.History, h => Assert.Equal(GenerationPhases.Promoted, h.Result));
        Assert.All(lineage.Status.History, h => Assert.NotNull(h.Score));

        var generations = await new ResourceClient<Generation>(client).ListAsync(TinyLineage.Namespace, null, default);
        Assert.Equal([0, 1, 2], generations.OrderBy(g => g.Metadata.Name).Select(g => g.Status?.GenerationNumber ?? -1));
        var distilled = Assert.Single(generations, g => g.Metadata.Name == "math-2");
        Assert.NotNull(await new ResourceClient<Distillation>(client).GetAsync(new ObjectKey(TinyLineage.Namespace, "math-2"), default));
        Assert.Equal("math-1", distilled.Spec.Parent);
        Assert.True(File.Exists(Path.Combine(data, "cluster", "store", "math", "math-2", "model", "manifest.json")), "the distilled model is in the local store");

        var events = (await client.CoreV1.ListNamespacedEventAsync(TinyLineage.Namespace)).Items;
        // Four Lineage Events for three generations: each promotion is told by the Event of the pass it led to (a birth, or Complete).
        var lineageEvents = events.Where(e => e.InvolvedObject.Kind == "Lineage").ToList();
        Assert.Equal([Reasons.Born, Reasons.Born, Reasons.Born, Reasons.MaxGenerationsReached], lineageEvents.Select(e => e.Reason).Order(StringComparer.Ordinal));
        foreach (var told in new[] { "math-0 (base) Promoted: ", "math-1 (grpo) Promoted: ", "math-2 (distill) Promoted: " })
            Assert.Single(lineageEvents, e => e.Message.Contains("; " + told, StringComparison.Ordinal));
        foreach (var job in new[] { "math-0-train", "math-1-train", "math-2-train", "math-0-eval", "math-1-eval", "math-2-eval" })
            Assert.Single((await client.CoreV1.ListNamespacedPodAsync(TinyLineage.Namespace, labelSelector: $"job-name={job}")).Items);
    }

    public void Dispose()
    {
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}
