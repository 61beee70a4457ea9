using k8s;
using k8s.Models;
using Lineage.Operator.Runtime;
using static Lineage.Operator.Tests.Runtime.ControllerWorkerTests;

namespace Lineage.Operator.Tests.Runtime;

public sealed class LeaderElectionTests
{
    static ControllerHostOptions Elected(string identity, double leaseSeconds = 5) => new()
    {
        Workers = 2,
        ResyncPeriod = TimeSpan.Zero,
        LeaderElection = new LeaderElectionOptions
        {
            LeaseName = "lineage-operator",
            LeaseNamespace = "default",
            Identity = identity,
            LeaseDuration = TimeSpan.FromSeconds(leaseSeconds),
            RenewDeadline = TimeSpan.FromSeconds(leaseSeconds * 0.75),
            RetryPeriod = TimeSpan.FromMilliseconds(250),
        },
    };

    sealed record Replica(ControllerHost Host, WidgetReconciler Reconciler, Task<HostExit> Run, CancellationTokenSource Stop);

    static Replica Start(ApiServer api, string identity, double leaseSeconds = 5)
    {
        // The operator's client: its User-Agent names the replica, so the server's request log tells the replicas' writes apart.
        var host = new ControllerHost(Lineage.Operator.Hosting.OperatorClient.Create(api.Server.ClientConfiguration(), identity), Elected(identity, leaseSeconds));
        var reconciler = new WidgetReconciler(host);
        host.For(reconciler);
        var stop = new CancellationTokenSource();
        return new Replica(host, reconciler, host.RunAsync(stop.Token), stop);
    }

    static async Task<int> CreateWidgets(ApiServer api, string prefix, int count)
    {
        var widgets = new ResourceClient<Widget>(api.Client);
        for (var i = 0; i < count; i++) await widgets.CreateAsync(Widget.Named("team", $"{prefix}{i}", size: i), default);
        return count;
    }

    static async Task<bool> AllReconciled(ApiServer api, string prefix) =>
        (await new ResourceClient<Widget>(api.Client).ListAsync("team", null, default))
            .Where(w => w.Metadata.Name.StartsWith(prefix, StringComparison.Ordinal)).All(w => w.Status?.Phase == "Ready");

    [Fact]
    public async Task Only_the_leader_reconciles_and_a_stolen_lease_stops_it()
    {
        await using var api = await ApiServer.StartAsync();
        var a = Start(api, "replica-a");
        var b = Start(api, "replica-b");
        await WaitUntil(() => a.Host.Health.State == LeaderState.Leading || b.Host.Health.State == LeaderState.Leading);
        var (leader, standby) = a.Host.Health.State == LeaderState.Leading ? (a, b) : (b, a);
        await WaitUntil(() => standby.Host.Health.State == LeaderState.Standby);
        Assert.True(standby.Host.Health.IsReady);

        await CreateWidgets(api, "w", 5);
        await WaitUntil(() => AllReconciled(api, "w").Result);
        Assert.True(leader.Reconciler.Total >= 5);
        Assert.Equal(0, standby.Reconciler.Total);

        // Another identity takes the lease: the leader cannot renew, stops reconciling and exits.
        var lease = await api.Client.CoordinationV1.ReadNamespacedLeaseAsync("lineage-operator", "default");
        lease.Spec.HolderIdentity = "intruder";
        lease.Spec.RenewTime = DateTime.UtcNow;
        lease.Spec.LeaseDurationSeconds = 60;
        await api.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "lineage-operator", "default");

        Assert.Equal(HostExit.LeadershipLost, await leader.Run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(LeaderState.Lost, leader.Host.Health.State);
        Assert.False(leader.Host.Health.IsReady);
        var reconcilesAtLoss = leader.Reconciler.Total;

        await CreateWidgets(api, "late", 2);
        await Task.Delay(700);
        Assert.Equal(reconcilesAtLoss, leader.Reconciler.Total);
        Assert.Equal(0, standby.Reconciler.Total);
        Assert.False(await AllReconciled(api, "late"));

        standby.Stop.Cancel();
        Assert.Equal(HostExit.Stopped, await standby.Run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_leader_whose_renewals_fail_stops_writing_before_the_standby_takes_the_lease()
    {
        await using var api = await ApiServer.StartAsync();
        var a = Start(api, "replica-a", leaseSeconds: 6);
        var b = Start(api, "replica-b", leaseSeconds: 6);
        await WaitUntil(() => a.Host.Health.State == LeaderState.Leading || b.Host.Health.State == LeaderState.Leading, seconds: 20);
        var (leader, standby) = a.Host.Health.State == LeaderState.Leading ? (a, b) : (b, a);
        var (leaderId, standbyId) = (leader.Host.Options.LeaderElection.Identity, standby.Host.Options.LeaderElection.Identity);
        await CreateWidgets(api, "w", 3);
        await WaitUntil(() => AllReconciled(api, "w").Result, seconds: 20);

        // The leader is alive and sees no other holder, but none of its renewals gets through (a partition, an overloaded
        // server): it must stop by its renew deadline, before the lease expires and the standby takes it.
        api.Server.FailNext(10_000, 500, "/leases/", "PUT", userAgentContains: $"({leaderId})");
        var widgets = new ResourceClient<Widget>(api.Client);
        var feeding = Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                await widgets.CreateAsync(Widget.Named("team", $"x{i}", size: i), default);
                await Task.Delay(300);
            }
        });
        Assert.Equal(HostExit.LeadershipLost, await leader.Run.WaitAsync(TimeSpan.FromSeconds(30)));
        await WaitUntil(() => standby.Host.Health.State == LeaderState.Leading, seconds: 30);
        await feeding;
        await WaitUntil(() => AllReconciled(api, "x").Result, seconds: 30);

        var log = api.Server.Requests.All;
        var takeover = log.Where(r => r.Resource == "leases" && r.IsWrite && r.Succeeded && r.UserAgent.Contains($"({standbyId})")).Min(r => r.Finished);
        var byOld = log.Where(r => r.IsWrite && r.Resource != "leases" && r.UserAgent.Contains($"({leaderId})")).ToList();
        Assert.NotEmpty(byOld);
        Assert.All(byOld, w => Assert.True(w.Started < takeover, $"{leaderId} wrote {w.Verb} {w.Resource}/{w.Name} at {w.Started:HH:mm:ss.fff}, after {standbyId} took the lease at {takeover:HH:mm:ss.fff}"));
        Assert.Contains(log, r => r.IsWrite && r.Resource != "leases" && r.UserAgent.Contains($"({standbyId})") && r.Started > takeover);

        standby.Stop.Cancel();
        Assert.Equal(HostExit.Stopped, await standby.Run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_standby_takes_over_at_once_when_the_leader_shuts_down_and_releases_the_lease()
    {
        await using var api = await ApiServer.StartAsync();
        var first = Start(api, "first", leaseSeconds: 30);
        await WaitUntil(() => first.Host.Health.State == LeaderState.Leading);
        var second = Start(api, "second", leaseSeconds: 30);
        await WaitUntil(() => second.Host.Health.State == LeaderState.Standby);

        first.Stop.Cancel();
        Assert.Equal(HostExit.Stopped, await first.Run.WaitAsync(TimeSpan.FromSeconds(10)));
        var released = DateTime.UtcNow;
        await WaitUntil(() => second.Host.Health.State == LeaderState.Leading, seconds: 15);
        var takeover = DateTime.UtcNow - released;
        Assert.True(takeover < TimeSpan.FromSeconds(5), $"took {takeover.TotalSeconds:F1} s; the released 30 s lease should not be waited out");
        await CreateWidgets(api, "after", 3);
        await WaitUntil(() => AllReconciled(api, "after").Result);
        Assert.True(second.Reconciler.Total >= 3);

        second.Stop.Cancel();
        await second.Run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Losing_the_lease_cancels_the_reconcile_in_flight()
    {
        await using var api = await ApiServer.StartAsync();
        var host = new ControllerHost(new Kubernetes(api.Server.ClientConfiguration()), Elected("slow"));
        var slow = new SlowReconciler();
        host.For(slow);
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        await WaitUntil(() => host.Health.State == LeaderState.Leading);

        await CreateWidgets(api, "s", 1);
        await slow.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var lease = await api.Client.CoordinationV1.ReadNamespacedLeaseAsync("lineage-operator", "default");
        lease.Spec.HolderIdentity = "intruder";
        lease.Spec.RenewTime = DateTime.UtcNow;
        await api.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "lineage-operator", "default");

        Assert.Equal(HostExit.LeadershipLost, await run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(slow.Cancelled.Task.IsCompleted);
    }

    sealed class SlowReconciler : IReconciler<Widget>
    {
        public readonly TaskCompletionSource Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
        {
            Entered.TrySetResult();
            try { await Task.Delay(TimeSpan.FromMinutes(5), ct); }
            catch (OperationCanceledException) { Cancelled.TrySetResult(); throw; }
            return ReconcileResult.Done;
        }
    }
}
