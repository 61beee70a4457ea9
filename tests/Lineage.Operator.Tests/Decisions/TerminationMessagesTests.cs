using k8s.Models;
using Lineage.Operator.Decisions;

namespace Lineage.Operator.Tests.Decisions;

public sealed class TerminationMessagesTests
{
    static V1Pod Pod(string? message, DateTime finished, bool lastState = false)
    {
        var terminated = new V1ContainerStateTerminated { ExitCode = 1, Message = message, FinishedAt = finished };
        var status = lastState
            ? new V1ContainerStatus { Name = "trainer", LastState = new V1ContainerState { Terminated = terminated }, State = new V1ContainerState() }
            : new V1ContainerStatus { Name = "trainer", State = new V1ContainerState { Terminated = terminated } };
        return new V1Pod { Status = new V1PodStatus { ContainerStatuses = [status] } };
    }

    [Fact]
    public void The_newest_terminated_containers_message_wins()
    {
        var t = new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
        var pods = new[] { Pod("old failure", t), Pod("  newest failure\n", t.AddMinutes(5)), Pod(null, t.AddMinutes(9)), Pod("restarted", t.AddMinutes(2), lastState: true) };
        Assert.Equal("newest failure", TerminationMessages.Latest(pods));
    }

    [Fact]
    public void No_message_when_no_container_terminated()
    {
        Assert.Null(TerminationMessages.Latest([new V1Pod { Status = new V1PodStatus() }]));
    }
}
