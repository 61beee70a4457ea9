using Lineage.Operator.Api.V1Alpha1;
using static Lineage.Operator.Tests.Integration.LineageCluster;

namespace Lineage.Operator.Tests.Integration;

/// <summary>What a reconcile costs the API server: ancestors come from the informer cache, a new Generation gets one metadata update.</summary>
public sealed class RequestBudgetTests
{
    [Fact]
    public async Task A_three_deep_lineage_reads_its_ancestors_from_the_cache_and_updates_each_generations_metadata_once()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await cluster.CreateAsync("gen-0", cluster.Spec());
        Assert.Equal(GenerationPhases.Promoted, (await cluster.EvaluateAsync("gen-0", 0.40)).Status!.Phase);
        cluster.Server.Requests.Clear(); // from here on the test never reads gen-0; only an ancestor lookup would

        await cluster.CreateAsync("gen-1", cluster.Spec(parent: "gen-0"));
        await cluster.CreateAsync("gen-2", cluster.Spec(parent: "gen-1"));
        Assert.Equal(GenerationPhases.Promoted, (await cluster.EvaluateAsync("gen-1", 0.50)).Status!.Phase);
        var gen2 = await cluster.EvaluateAsync("gen-2", 0.60);

        Assert.Equal((GenerationPhases.Promoted, 2), (gen2.Status!.Phase, gen2.Status.GenerationNumber ?? -1));
        Assert.True(cluster.Server.Requests.Count("update", "generations", "status") >= 4, "gen-1 and gen-2 went through their phases");
        Assert.Equal(0, cluster.Server.Requests.Count(r => r.Verb == "get" && r.Resource == "generations" && r.Name == "gen-0"));
        // Per new Generation: finalizer and lineage label in one update; promotion is a status write alone.
        Assert.Equal(1, MetadataUpdates(cluster, "gen-1"));
        Assert.Equal(1, MetadataUpdates(cluster, "gen-2"));
    }

    static int MetadataUpdates(LineageCluster cluster, string name) =>
        cluster.Server.Requests.Count(r => r.Verb == "update" && r.Resource == "generations" && string.IsNullOrEmpty(r.Subresource) && r.Name == name);
}
