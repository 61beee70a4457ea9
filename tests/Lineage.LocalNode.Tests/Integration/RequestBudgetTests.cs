using k8s;
using k8s.Models;
using Lineage.Operator.Runtime;
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
        var patches = requests.All.Where(r => r.Verb == "patch" && r.Resource == "pods").ToList();
        Assert.True(patches.Count == jobs, string.Join("\n", patches.Select(r => $"{r.Path} {r.StatusCode}")) + "\n" + string.Join("\n", cluster.Audit.Versions));
        var jobWrites = requests.Count("update", "jobs", "status");
        Assert.True(jobWrites >= 3 * jobs && jobWrites <= 4 * jobs, $"{jobWrites} job status writes:\n" + string.Join("\n", cluster.Audit.Versions.Where(v => v.StartsWith("V1Job"))));
        Assert.InRange(requests.Count("update", "pods", "status"), jobs, 2 * jobs);
        Assert.Empty(requests.All.Where(r => r.StatusCode == 409).Select(r => $"{r.Method} {r.Path}"));

        cluster.Server.Requests.Clear();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(0, cluster.Server.Requests.Writes());
    }

    [Fact]
    public async Task Watches_that_break_and_relist_deliver_events_again_but_never_a_second_pod_for_one_attempt()
    {
        await using var cluster = await LocalCluster.StartAsync();
        var go = cluster.Mark("go");
        await cluster.CreateAsync(ShellJob("steady", $"while [ ! -e {go} ]; do sleep 0.1; done"));
        await cluster.WaitForJobAsync("steady", j => j.Status?.Ready == 1, "a ready pod");

        for (var i = 0; i < 3; i++)
        {
            cluster.Server.DropWatches();
            cluster.Server.FailNext(2, 503, "watch=true");
            await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = $"noise-{i}" } }, Ns);
            cluster.Server.CompactHistory();
            await Task.Delay(300);
        }
        File.WriteAllText(go, "");

        var job = await cluster.WaitForJobAsync("steady", j => HasCondition(j, JobConditions.Complete), "Complete");
        Assert.Equal(1, job.Status.Succeeded);
        Assert.Single(await cluster.PodsOfAsync("steady"));
        Assert.Equal(1, cluster.Server.Requests.Count(r => r.Verb == "create" && r.Resource == "pods" && r.Subresource is null && r.Succeeded));
        var pods = cluster.Node!.Host.Informers.OfType<Informer<V1Pod>>().Single();
        Assert.True(pods.Relists > 0 && pods.WatchRestarts > 0, $"the pod informer relisted {pods.Relists} times and restarted its watch {pods.WatchRestarts} times");
    }
}
