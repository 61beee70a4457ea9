using k8s.Models;
using Lineage.LocalNode.Containers;
using Lineage.LocalNode.Processes;

namespace Lineage.LocalNode.Tests.Containers;

public sealed class PodStatusBuilderTests
{
    static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    static readonly V1Pod Fresh = new() { Metadata = new V1ObjectMeta { Name = "p" }, Spec = new V1PodSpec(), Status = new V1PodStatus { QosClass = "Burstable" } };

    static V1PodStatus Build(ContainerView container, V1Pod? pod = null, DateTime? now = null) =>
        PodStatusBuilder.Build(pod ?? Fresh, new PodView(T0, container), "127.0.0.1", now ?? T0);

    static string? Condition(V1PodStatus s, string type) => s.Conditions.Single(c => c.Type == type).Status;

    [Fact]
    public void A_waiting_container_leaves_the_pod_pending_and_not_ready_with_its_reason()
    {
        var status = Build(new ContainerView("main", "img") { WaitingReason = "CreateContainerConfigError", WaitingMessage = "secret \"s\" not found" });

        Assert.Equal("Pending", status.Phase);
        Assert.Equal(("CreateContainerConfigError", "secret \"s\" not found"), (status.ContainerStatuses[0].State.Waiting.Reason, status.ContainerStatuses[0].State.Waiting.Message));
        var ready = status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "ContainersNotReady", "containers with unready status: [main]"), (ready.Status, ready.Reason, ready.Message));
        Assert.Equal("Burstable", status.QosClass);
    }

    [Fact]
    public void A_running_container_makes_the_pod_running_and_ready()
    {
        var status = Build(new ContainerView("main", "img") { StartedAt = T0, Pid = 42 });

        Assert.Equal("Running", status.Phase);
        Assert.Equal("True", Condition(status, "Ready"));
        Assert.Equal("True", Condition(status, "ContainersReady"));
        Assert.Equal("True", Condition(status, "PodScheduled"));
        var c = Assert.Single(status.ContainerStatuses);
        Assert.Equal((true, true, 0, T0), (c.Ready, c.Started, c.RestartCount, c.State.Running.StartedAt!.Value));
        Assert.Equal("local://42", c.ContainerID);
        Assert.Equal(("127.0.0.1", "127.0.0.1"), (status.PodIP, status.PodIPs[0].Ip));
        Assert.Equal(T0, status.StartTime);
    }

    [Theory]
    [InlineData(0, "Completed", "Succeeded", "PodCompleted")]
    [InlineData(2, "Error", "Failed", "PodFailed")]
    [InlineData(137, "OOMKilled", "Failed", "PodFailed")]
    public void An_exited_container_ends_the_pod(int code, string reason, string phase, string readyReason)
    {
        var status = Build(new ContainerView("main", "img") { StartedAt = T0, Exit = new ContainerExit(code, reason, "tail", T0.AddMinutes(1)) });

        Assert.Equal(phase, status.Phase);
        var terminated = status.ContainerStatuses[0].State.Terminated;
        Assert.Equal((code, reason, "tail", T0, T0.AddMinutes(1)), (terminated.ExitCode, terminated.Reason, terminated.Message, terminated.StartedAt!.Value, terminated.FinishedAt!.Value));
        Assert.Equal(readyReason, status.Conditions.Single(c => c.Type == "Ready").Reason);
        Assert.False(status.ContainerStatuses[0].Ready);
    }

    [Fact]
    public void A_conditions_transition_time_moves_only_when_its_status_flips()
    {
        var running = Build(new ContainerView("main", "img") { StartedAt = T0 });
        var pod = new V1Pod { Metadata = Fresh.Metadata, Spec = Fresh.Spec, Status = running };

        var again = Build(new ContainerView("main", "img") { StartedAt = T0 }, pod, T0.AddMinutes(5));
        var ended = Build(new ContainerView("main", "img") { StartedAt = T0, Exit = new ContainerExit(0, "Completed", null, T0.AddMinutes(9)) }, pod, T0.AddMinutes(9));

        Assert.Equal(T0, again.Conditions.Single(c => c.Type == "Ready").LastTransitionTime);
        Assert.Equal(T0.AddMinutes(9), ended.Conditions.Single(c => c.Type == "Ready").LastTransitionTime);
        Assert.Equal(T0, ended.Conditions.Single(c => c.Type == "PodScheduled").LastTransitionTime);
    }
}
