using Lineage.LocalNode.Containers;
using Lineage.LocalNode.Jobs;
using static Lineage.LocalNode.Tests.Integration.LocalCluster;

namespace Lineage.LocalNode.Tests.Integration;

/// <summary>The node's process dies while containers run; started again on the same data, it leaves no orphan working twice.</summary>
public sealed class NodeRestartTests
{
    [Fact]
    public async Task A_node_process_killed_with_SIGKILL_and_started_again_kills_the_orphans_marks_the_pod_failed_and_the_job_resumes()
    {
        await using var cluster = await LocalCluster.StartAsync();
        await cluster.StopNodeAsync();
        using var nodeProcess = await cluster.StartNodeProcessAsync();
        var checkpoint = cluster.Mark("checkpoint");
        var pidsFile = cluster.Mark("pids");
        await cluster.CreateAsync(ShellJob("crash",
            $"if [ -e {checkpoint} ]; then echo resumed from checkpoint; exit 0; fi; touch {checkpoint}; sleep 60 & echo \"$$$$ $!\" > {pidsFile}; wait",
            backoffLimit: 2));
        var pids = await cluster.PidsAsync("pids", 2);
        var first = Assert.Single(await cluster.PodsOfAsync("crash"));
        await WaitForAsync(() => cluster.PodsOfAsync("crash"), p => p[0].Status?.Phase == "Running", "the pod to be Running");

        nodeProcess.Kill();
        await nodeProcess.WaitForExitAsync();
        Assert.All(pids, pid => Assert.True(IsRunning(pid), "SIGKILL of the node leaves its containers running, orphaned"));

        await cluster.StartNodeAsync();
        Assert.All(pids, pid => Assert.False(IsRunning(pid), "a node that starts again kills what its killed predecessor left"));
        var job = await cluster.WaitForJobAsync("crash", j => HasCondition(j, JobConditions.Complete), "Complete");
        Assert.Equal((1, 1), (job.Status.Failed, job.Status.Succeeded));
        var pods = await cluster.PodsOfAsync("crash");
        Assert.Equal(2, pods.Count);
        var lost = pods.Single(p => p.Metadata.Uid == first.Metadata.Uid);
        Assert.Equal("Failed", lost.Status.Phase);
        Assert.Equal(Kubelet.NodeRestartedReason, lost.Status.Reason);
        var terminated = lost.Status.ContainerStatuses.Single().State.Terminated;
        Assert.Equal(("ContainerStatusUnknown", 137), (terminated.Reason, terminated.ExitCode));
        Assert.Contains("local node restarted while the container was running", terminated.Message);
        Assert.Equal("resumed from checkpoint\n", cluster.LogOf(pods.Single(p => p.Metadata.Uid != first.Metadata.Uid)));
        Assert.Equal(2, cluster.Server.Requests.Count(r => r.Verb == "create" && r.Resource == "pods" && r.Subresource is null && r.Succeeded));
    }

    [Fact]
    public async Task Stopping_the_node_stops_its_containers_and_the_next_start_reports_their_pods_lost()
    {
        await using var cluster = await LocalCluster.StartAsync();
        var checkpoint = cluster.Mark("checkpoint");
        await cluster.CreateAsync(ShellJob("interrupted",
            $"if [ -e {checkpoint} ]; then exit 0; fi; touch {checkpoint}; echo $$$$ > {cluster.Mark("pid")}; exec sleep 60", backoffLimit: 1));
        var pid = (await cluster.PidsAsync("pid"))[0];

        await cluster.StopNodeAsync();
        Assert.False(IsRunning(pid), "a stopped node leaves no container running");

        await cluster.StartNodeAsync();
        var job = await cluster.WaitForJobAsync("interrupted", j => HasCondition(j, JobConditions.Complete), "Complete");
        Assert.Equal((1, 1), (job.Status.Failed, job.Status.Succeeded));
        var lost = (await cluster.PodsOfAsync("interrupted")).First();
        Assert.Equal(Kubelet.NodeRestartedReason, lost.Status.Reason);
    }

    [Fact]
    public async Task A_second_node_cannot_start_on_a_data_directory_in_use()
    {
        await using var cluster = await LocalCluster.StartAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            LocalNode.StartAsync(cluster.Client, cluster.Options with { NodeName = "other" }));

        Assert.Contains("in use by another local node", error.Message);
    }
}
