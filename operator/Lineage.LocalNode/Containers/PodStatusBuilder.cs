using k8s;
using k8s.Models;
using Lineage.LocalNode.Pods;

namespace Lineage.LocalNode.Containers;

/// <summary>
/// A pod's status as the kubelet writes it, from its view of the pod (pure). Phase: Pending while the container
/// waits, Running once it started, then Succeeded (exit 0) or Failed (restartPolicy Never); the conditions
/// PodReadyToStartContainers, Initialized, Ready, ContainersReady and PodScheduled, whose lastTransitionTime moves
/// only when their status flips; one containerStatus with state waiting, running or terminated. Fields others
/// own (qosClass, nominatedNodeName, …) are kept.
/// </summary>
public static class PodStatusBuilder
{
    public static V1PodStatus Build(V1Pod pod, PodView view, string hostIp, DateTime now)
    {
        var status = pod.Status is null ? new V1PodStatus() : KubernetesJson.Deserialize<V1PodStatus>(KubernetesJson.Serialize(pod.Status));
        var container = view.Container;
        var exit = container?.Exit;
        var running = container?.StartedAt is not null && exit is null;
        status.Phase = view.Rejected ? PodPhases.Failed
            : exit is not null ? (exit.ExitCode == 0 ? PodPhases.Succeeded : PodPhases.Failed)
            : running ? PodPhases.Running
            : PodPhases.Pending;
        status.Reason = view.Reason;
        status.Message = view.Message;
        status.StartTime = pod.Status?.StartTime ?? view.StartTime;
        if (!view.Rejected)
        {
            status.HostIP = hostIp;
            status.HostIPs = [new V1HostIP { Ip = hostIp }];
            status.PodIP = hostIp;
            status.PodIPs = [new V1PodIP { Ip = hostIp }];
        }

        var previous = pod.Status?.Conditions ?? [];
        var sandbox = container is not null && (container.StartedAt is not null || exit is not null
            || container.WaitingReason is not (null or ContainerConfigError.ContainerCreating));
        var (readyStatus, readyReason, readyMessage) = status.Phase switch
        {
            _ when running => ("True", null, null),
            PodPhases.Succeeded => ("False", "PodCompleted", null),
            PodPhases.Failed => ("False", "PodFailed", null),
            _ => ("False", "ContainersNotReady", $"containers with unready status: [{container?.Name}]"),
        };
        status.Conditions =
        [
            Condition(previous, "PodReadyToStartContainers", sandbox ? "True" : "False", null, null, now),
            Condition(previous, "Initialized", "True", null, null, now),
            Condition(previous, "Ready", readyStatus, readyReason, readyMessage, now),
            Condition(previous, "ContainersReady", readyStatus, readyReason, readyMessage, now),
            Condition(previous, "PodScheduled", "True", null, null, now),
        ];
        status.ContainerStatuses = container is null ? null : [ContainerStatus(container)];
        return status;
    }

    static V1ContainerStatus ContainerStatus(ContainerView c)
    {
        var state = new V1ContainerState();
        if (c.Exit is { } exit)
        {
            state.Terminated = new V1ContainerStateTerminated
            {
                ExitCode = exit.ExitCode,
                Reason = exit.Reason,
                Message = exit.Message,
                StartedAt = c.StartedAt,
                FinishedAt = exit.FinishedAt,
                ContainerID = ContainerId(c),
            };
        }
        else if (c.StartedAt is { } started) state.Running = new V1ContainerStateRunning { StartedAt = started };
        else state.Waiting = new V1ContainerStateWaiting { Reason = c.WaitingReason ?? ContainerConfigError.ContainerCreating, Message = c.WaitingMessage };
        var running = state.Running is not null;
        return new V1ContainerStatus
        {
            Name = c.Name,
            Image = c.Image,
            ImageID = c.Image,
            ContainerID = ContainerId(c),
            Ready = running,
            Started = running,
            RestartCount = 0,
            State = state,
        };
    }

    static string? ContainerId(ContainerView c) => c.Pid is { } pid ? $"local://{pid}" : null;

    static V1PodCondition Condition(IEnumerable<V1PodCondition> previous, string type, string status, string? reason, string? message, DateTime now)
    {
        var before = previous.FirstOrDefault(c => c.Type == type);
        return new V1PodCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastProbeTime = null,
            LastTransitionTime = before?.Status == status && before.LastTransitionTime is not null ? before.LastTransitionTime : now,
        };
    }
}
