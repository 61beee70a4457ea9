using k8s.Models;
using Lineage.LocalNode.Jobs;
using static Lineage.LocalNode.Tests.Integration.LocalCluster;

namespace Lineage.LocalNode.Tests.Integration;

/// <summary>The node's capacity bounds what runs at once; a pod that can never fit stays Pending, as the scheduler leaves it.</summary>
public sealed class ResourceTests
{
    [Fact]
    public async Task A_pod_that_requests_a_gpu_on_a_node_without_one_stays_pending_with_the_schedulers_message()
    {
        await using var cluster = await LocalCluster.StartAsync();
        await cluster.CreateAsync(ShellJob("gpu", "true", container: c => c.Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") },
        }));

        var pods = await WaitForAsync(() => cluster.PodsOfAsync("gpu"),
            p => p.Count == 1 && p[0].Status?.Conditions?.Any(c => c.Type == "PodScheduled") == true, "PodScheduled");

        var scheduled = pods[0].Status.Conditions.Single(c => c.Type == "PodScheduled");
        Assert.Equal(("False", "Unschedulable"), (scheduled.Status, scheduled.Reason));
        const string message = "0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
        Assert.Equal(message, scheduled.Message);
        Assert.Equal("Pending", pods[0].Status.Phase);
        Assert.Null(pods[0].Spec.NodeName);
        Assert.Contains(await cluster.EventsOfAsync(pods[0].Metadata.Name), e => e.Reason == "FailedScheduling" && e.Message == message && e.Source.Component == "default-scheduler");
        var job = await cluster.JobAsync("gpu");
        Assert.Equal(1, job.Status.Active);
        Assert.Equal(0, job.Status.Ready);
    }

    [Fact]
    public async Task Two_one_cpu_pods_on_a_one_cpu_node_run_one_after_the_other()
    {
        await using var cluster = await LocalCluster.StartAsync(o => o with { Cpus = 1 });
        var times = cluster.Mark("times");
        foreach (var name in new[] { "first", "second" })
        {
            await cluster.CreateAsync(ShellJob(name, $"echo start {name} $(date +%s%N) >> {times}; sleep 1; echo end {name} $(date +%s%N) >> {times}", container: c =>
                c.Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") } }));
        }

        var waiting = await WaitForAsync(async () => (await cluster.PodsOfAsync("first")).Concat(await cluster.PodsOfAsync("second")).ToList(),
            pods => pods.Count == 2 && pods.Any(p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False") == true),
            "one pod to wait for the CPU");
        var queued = waiting.Single(p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False") == true);
        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
            queued.Status.Conditions.Single(c => c.Type == "PodScheduled").Message);

        foreach (var name in new[] { "first", "second" })
            await cluster.WaitForJobAsync(name, j => HasCondition(j, JobConditions.Complete), "Complete");
        var lines = File.ReadAllLines(times).Select(l => l.Split(' ')).ToList();
        Assert.Equal(4, lines.Count);
        Assert.Equal(["start", "end", "start", "end"], lines.Select(l => l[0]));
        Assert.Equal(lines[0][1], lines[1][1]);
        Assert.Equal(lines[2][1], lines[3][1]);
        Assert.True(long.Parse(lines[2][2]) >= long.Parse(lines[1][2]), "the second pod started after the first ended");
    }

    [Fact]
    public async Task A_container_over_its_memory_limit_is_killed_as_OOMKilled()
    {
        await using var cluster = await LocalCluster.StartAsync();
        await cluster.CreateAsync(ShellJob("hungry", "x=$(head -c 80000000 /dev/zero | tr '\\0' a); sleep 30", container: c => c.Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("32Mi") },
        }));

        await cluster.WaitForJobAsync("hungry", j => HasCondition(j, JobConditions.Failed), "Failed");

        var terminated = Assert.Single(await cluster.PodsOfAsync("hungry")).Status.ContainerStatuses[0].State.Terminated;
        Assert.Equal(137, terminated.ExitCode);
        Assert.Equal("OOMKilled", terminated.Reason);
    }
}
