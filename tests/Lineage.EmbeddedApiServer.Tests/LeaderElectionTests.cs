using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Lineage.EmbeddedApiServer.Tests;

public sealed class LeaderElectionTests : ServerTest
{
    private int leaders;
    private int mostLeadersAtOnce;

    [Fact]
    public async Task Two_electors_on_one_Lease_have_one_leader_and_the_other_takes_over_when_it_stops_renewing()
    {
        var (a, aLeads, aStop) = Elector("operator-a");
        var aRun = Run(a, aStop.Token);
        await aLeads.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var (b, bLeads, bStop) = Elector("operator-b");
        var bRun = Run(b, bStop.Token);
        await Task.Delay(TimeSpan.FromSeconds(4)); // longer than the lease: only renewals keep it
        Assert.True(a.IsLeader());
        Assert.False(b.IsLeader());
        Assert.Equal("operator-a", b.GetLeader());

        await aStop.CancelAsync();
        await aRun;
        await bLeads.Task.WaitAsync(TimeSpan.FromSeconds(15));

        var lease = await Client.CoordinationV1.ReadNamespacedLeaseAsync("lineage-operator", "default");
        Assert.Equal("operator-b", lease.Spec.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);
        Assert.Equal(1, mostLeadersAtOnce);
        Assert.True(Server.Requests.Count("update", "leases") > 2, "the leader renews by updating the Lease");

        await bStop.CancelAsync();
        await bRun;
    }

    [Fact]
    public async Task A_leader_whose_renewals_fail_stops_leading()
    {
        var (a, aLeads, aStop) = Elector("operator-a");
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.OnStoppedLeading += () => stopped.TrySetResult();
        var run = Run(a, aStop.Token);
        await aLeads.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Server.FailNext(int.MaxValue, 500, "/leases/lineage-operator", "PUT");

        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Server.ClearFailures();
    }

    private (LeaderElector Elector, TaskCompletionSource Leads, CancellationTokenSource Stop) Elector(string identity)
    {
        var config = new LeaderElectionConfig(new LeaseLock(Client, "default", "lineage-operator", identity))
        {
            // Short, with margins for a busy machine: renewals every 250 ms against a 3 s lease.
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromMilliseconds(2500),
            RetryPeriod = TimeSpan.FromMilliseconds(250),
        };
        var elector = new LeaderElector(config);
        var leads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        elector.OnStartedLeading += () =>
        {
            var now = Interlocked.Increment(ref leaders);
            InterlockedMax(ref mostLeadersAtOnce, now);
            leads.TrySetResult();
        };
        elector.OnStoppedLeading += () => Interlocked.Decrement(ref leaders);
        return (elector, leads, new CancellationTokenSource());
    }

    private static async Task Run(LeaderElector elector, CancellationToken token)
    {
        try
        {
            await elector.RunUntilLeadershipLostAsync(token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
