namespace Lineage.Operator.Runtime;

/// <summary>Why <see cref="ControllerHost.RunAsync"/> returned.</summary>
public enum HostExit
{
    /// <summary>The host was asked to stop (SIGTERM).</summary>
    Stopped,
    /// <summary>Another replica took the lease. The process should exit so that it restarts with clean state.</summary>
    LeadershipLost,
}
