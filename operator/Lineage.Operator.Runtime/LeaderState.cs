namespace Lineage.Operator.Runtime;

/// <summary>A host's place in leader election.</summary>
public enum LeaderState
{
    /// <summary>Not yet electing (informers still syncing).</summary>
    Starting,
    /// <summary>Leader election is off: this host reconciles.</summary>
    Disabled,
    /// <summary>Waiting for the lease held by another replica.</summary>
    Standby,
    Leading,
    /// <summary>Leadership was lost; reconciles have stopped and the host is exiting.</summary>
    Lost,
    Stopped,
}
