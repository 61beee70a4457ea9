using k8s.Models;
using Lineage.LocalNode.Scheduling;

namespace Lineage.LocalNode.Tests.Scheduling;

/// <summary>Placement on a one-node cluster, with kube-scheduler's messages.</summary>
public sealed class SchedulingDecisionTests
{
    static readonly NodeView Node = new("local", new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" }, new ResourceList([
        new(ResourceList.Cpu, 2000), new(ResourceList.Memory, 8L << 30), new(ResourceList.Pods, 110), new(ResourceList.Gpu, 0),
    ]));

    static V1Pod Pod(string name, string? cpu = null, string? memory = null, string? gpu = null, int minute = 0, IDictionary<string, string>? selector = null, bool limitsOnly = false)
    {
        var quantities = new Dictionary<string, ResourceQuantity>();
        if (cpu is not null) quantities["cpu"] = new(cpu);
        if (memory is not null) quantities["memory"] = new(memory);
        if (gpu is not null) quantities["nvidia.com/gpu"] = new(gpu);
        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Uid = name, CreationTimestamp = new DateTime(2026, 1, 1, 0, minute, 0, DateTimeKind.Utc) },
            Spec = new V1PodSpec
            {
                NodeSelector = selector,
                Containers = [new V1Container { Name = "main", Resources = limitsOnly ? new() { Limits = quantities } : new() { Requests = quantities } }],
            },
        };
    }

    static IReadOnlyList<SchedulingOutcome> Decide(ResourceList used, params V1Pod[] pending) => SchedulingDecision.Decide(Node, used, pending);

    [Fact]
    public void Pods_that_fit_are_bound_oldest_first_until_the_cpu_is_used_up()
    {
        var outcomes = Decide(new ResourceList(), Pod("late", "1", minute: 3), Pod("early", "1", minute: 1), Pod("middle", "1", minute: 2));

        Assert.Equal(["early", "middle", "late"], outcomes.Select(o => o.Pod.Metadata.Name));
        Assert.Equal([true, true, false], outcomes.Select(o => o.Bind));
        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.", outcomes[2].Message);
    }

    [Fact]
    public void Resources_held_by_running_pods_count()
    {
        var outcome = Assert.Single(Decide(new ResourceList([new(ResourceList.Cpu, 1500)]), Pod("p", "1")));

        Assert.False(outcome.Bind);
    }

    [Fact]
    public void A_smaller_pod_behind_one_that_does_not_fit_is_still_bound()
    {
        var outcomes = Decide(new ResourceList([new(ResourceList.Cpu, 1000)]), Pod("big", "2", minute: 1), Pod("small", "500m", minute: 2));

        Assert.Equal([false, true], outcomes.Select(o => o.Bind));
    }

    [Fact]
    public void A_gpu_request_on_a_node_without_gpus_can_never_fit()
    {
        var outcome = Assert.Single(Decide(new ResourceList(), Pod("p", "1", gpu: "1", limitsOnly: true)));

        Assert.False(outcome.Bind);
        Assert.Equal("0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.", outcome.Message);
    }

    [Fact]
    public void More_cpu_than_the_node_has_can_never_fit_and_every_insufficient_resource_is_named_in_order()
    {
        var outcome = Assert.Single(Decide(new ResourceList(), Pod("p", "4", memory: "16Gi")));

        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.", outcome.Message);
    }

    [Fact]
    public void A_node_selector_the_node_does_not_match_is_unschedulable()
    {
        var outcome = Assert.Single(Decide(new ResourceList(), Pod("p", selector: new Dictionary<string, string> { ["gpu"] = "a100" })));

        Assert.Equal("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.", outcome.Message);
    }

    [Fact]
    public void A_pod_without_requests_always_fits()
    {
        Assert.True(Assert.Single(Decide(new ResourceList([new(ResourceList.Cpu, 2000)]), Pod("p"))).Bind);
    }

    [Theory]
    [InlineData("cpu", "250m", 250)]
    [InlineData("cpu", "2", 2000)]
    [InlineData("memory", "1Gi", 1L << 30)]
    [InlineData("memory", "500M", 500_000_000)]
    [InlineData("nvidia.com/gpu", "1", 1)]
    public void Quantities_are_read_in_the_nodes_units(string name, string quantity, long expected)
    {
        Assert.Equal(expected, ResourceList.Amount(name, new ResourceQuantity(quantity)));
    }

    [Fact]
    public void A_limit_stands_in_for_a_missing_request()
    {
        Assert.Equal(1000, ResourceList.RequestsOf(Pod("p", "1", limitsOnly: true))[ResourceList.Cpu]);
    }
}
