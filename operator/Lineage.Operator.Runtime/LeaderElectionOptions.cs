namespace Lineage.Operator.Runtime;

/// <summary>Leader election on a <c>coordination.k8s.io/v1</c> Lease, so that only one replica reconciles.</summary>
public sealed record LeaderElectionOptions
{
    /// <summary>Off for local runs with a single replica: the host then leads from the start.</summary>
    public bool Enabled { get; init; } = true;
    public string LeaseName { get; init; } = "lineage-operator";
    public string LeaseNamespace { get; init; } = "default";
    /// <summary>This replica's name in the Lease; must differ between replicas (the pod name in a cluster).</summary>
    public string Identity { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";
    /// <summary>How long a lease stays valid without renewal; a standby takes over after this.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>A leader that cannot renew within this stops leading.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    public void Validate()
    {
        if (!Enabled) return;
        if (string.IsNullOrWhiteSpace(LeaseName)) throw new ArgumentException("leader election: lease name is empty", nameof(LeaseName));
        if (string.IsNullOrWhiteSpace(LeaseNamespace)) throw new ArgumentException("leader election: lease namespace is empty", nameof(LeaseNamespace));
        if (string.IsNullOrWhiteSpace(Identity)) throw new ArgumentException("leader election: identity is empty", nameof(Identity));
        if (LeaseDuration < TimeSpan.FromSeconds(1)) throw new ArgumentException("leader election: lease duration must be at least 1 s", nameof(LeaseDuration));
        if (!(RetryPeriod < RenewDeadline && RenewDeadline < LeaseDuration))
            throw new ArgumentException("leader election: need retry period < renew deadline < lease duration", nameof(RenewDeadline));
    }
}
