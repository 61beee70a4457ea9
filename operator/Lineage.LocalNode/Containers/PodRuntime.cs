using Lineage.LocalNode.Processes;
using Lineage.LocalNode.Scheduling;
using Lineage.Operator.Runtime;

namespace Lineage.LocalNode.Containers;

/// <summary>
/// One pod the kubelet has taken on: its container's process while it runs, and how it ended. Also made from a
/// process record after the node restarted (then there is no process, only the recorded end).
/// </summary>
internal sealed class PodRuntime
{
    readonly Lock gate = new();
    readonly TaskCompletionSource handled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    ContainerView container;
    ContainerProcess? process;
    bool terminating;

    public PodRuntime(ObjectKey key, string uid, DateTime startTime, ContainerView container, ResourceList requests, string recordPath, string? podReason = null)
    {
        Key = key;
        Uid = uid;
        StartTime = startTime;
        this.container = container;
        Requests = requests;
        RecordPath = recordPath;
        PodReason = podReason;
    }

    public ObjectKey Key { get; }
    public string Uid { get; }
    public DateTime StartTime { get; }
    public ResourceList Requests { get; }
    public string RecordPath { get; }
    public string? PodReason { get; }
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The process runs (or is being started): it holds the node's resources.</summary>
    public bool IsRunning
    {
        get { lock (gate) return container.Exit is null; }
    }

    public bool HasExited
    {
        get { lock (gate) return container.Exit is not null; }
    }

    public PodView View()
    {
        lock (gate)
            return new PodView(StartTime, container)
            {
                Reason = container.Exit is not null ? PodReason : null,
                Message = container.Exit is not null && PodReason is not null ? container.Exit.Message : null,
            };
    }

    public void Started(ContainerProcess started, DateTime at)
    {
        lock (gate)
        {
            process = started;
            container = container with { StartedAt = at, Pid = started.Pid };
        }
    }

    /// <summary>Records how the container ended (once its record on disk says so).</summary>
    public void Ended(ContainerExit exit)
    {
        lock (gate) container = container with { Exit = exit };
        handled.TrySetResult();
    }

    /// <summary>The process ended while the node was stopping: nothing is recorded, the next start of the node reports it.</summary>
    public void EndedUnrecorded() => handled.TrySetResult();

    /// <summary>SIGTERM now, SIGKILL after the grace period; nothing when the process is not running. True on the first call that acts.</summary>
    public bool Terminate(TimeSpan grace)
    {
        ContainerProcess? running;
        lock (gate)
        {
            running = container.Exit is null && !terminating ? process : null;
            if (running is not null) terminating = true;
        }
        running?.Terminate(grace);
        return running is not null;
    }

    /// <summary>Completes once the process has exited and its end is recorded (at once when there is no process).</summary>
    public Task WhenExitedAsync()
    {
        lock (gate) return process is null ? Task.CompletedTask : handled.Task;
    }

    public void Dispose()
    {
        lock (gate) process?.Dispose();
    }
}
