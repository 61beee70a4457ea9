namespace Lineage.Operator.Runtime;

/// <summary>Where a host stands, for <c>/readyz</c> and for tests.</summary>
public sealed class HostHealth
{
    volatile bool synced;
    volatile LeaderState state = LeaderState.Starting;

    public bool Synced { get => synced; internal set => synced = value; }
    public LeaderState State { get => state; internal set => state = value; }

    /// <summary>Ready when every informer has synced and the host is leading, standing by, or not electing.</summary>
    public bool IsReady => Synced && State is LeaderState.Disabled or LeaderState.Standby or LeaderState.Leading;

    /// <summary>True while this host may reconcile.</summary>
    public bool IsLeading => State is LeaderState.Disabled or LeaderState.Leading;
}
