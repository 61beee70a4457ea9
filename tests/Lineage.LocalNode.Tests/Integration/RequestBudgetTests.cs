using Lineage.LocalNode.Jobs;
using static Lineage.LocalNode.Tests.Integration.LocalCluster;

namespace Lineage.LocalNode.Tests.Integration;

/// <summary>What a Job costs the API server, and that a node with nothing to do writes nothing.</summary>
public sealed class RequestBudgetTests
{
    [Fact]
    public async Task A_succeeding_job_costs_one_pod_one_binding_one_finalizer_release_at_most_four_job_status_writes_and_no_conflict()
    {
        await using var cluster = await LocalCluster.StartAsync();
        cluster.Server.Requests.Clear();
        const int jobs = 5;
        for (var i = 0; i < jobs; i++) await cluster.CreateAsync(ShellJob($"j{i}", "true"));
        for (var i = 0; i < jobs; i++) await cluster.WaitForJobAsync($"j{i}", j => HasCondition(j, JobConditions.Complete), "Complete");

        var requests = cluster.Server.Requests;
        Assert.Equal(jobs, requests.Count(r => r.Verb == "create" && r.Resource == "pods" && r.Subresource is null && r.Succeeded));
        Assert.Equal(jobs, requests.Count(r => r.Resource == "pods" && r.Succeeded && (r.Subresource == "binding" || (r.Verb == "update" && r.Subresource is null))));
        Assert.Equal(jobs, requests.Count(r => r.Verb == "patch" && r.Resource == "pods"));
        Assert.InRange(requests.Count("update", "jobs", "status"), 3 * jobs, 4 * jobs);
        Assert.InRange(requests.Count("update", "pods", "status"), jobs, 2 * jobs);
        Assert.Empty(requests.All.Where(r => r.StatusCode == 409).Select(r => $"{r.Method} {r.Path}"));

        cluster.Server.Requests.Clear();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(0, cluster.Server.Requests.Writes());
    }
}
