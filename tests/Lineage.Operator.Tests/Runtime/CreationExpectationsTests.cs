using Lineage.Operator.Runtime;

namespace Lineage.Operator.Tests.Runtime;

public sealed class CreationExpectationsTests
{
    static readonly KindInfo Jobs = new("batch", "v1", "Job", "jobs");
    static readonly ObjectKey Key = new("ml", "gen-1-eval");

    [Fact]
    public void A_creation_is_pending_until_the_informer_observes_it()
    {
        var expectations = new CreationExpectations(new ManualClock(DateTimeOffset.UnixEpoch));
        Assert.False(expectations.Pending(Jobs, Key));
        expectations.Created(Jobs, Key);
        Assert.True(expectations.Pending(Jobs, Key));
        Assert.False(expectations.Pending(new KindInfo("", "v1", "ConfigMap", "configmaps"), Key));
        expectations.Observed(Jobs, Key);
        Assert.False(expectations.Pending(Jobs, Key));
    }

    [Fact]
    public void A_creation_whose_event_never_comes_stops_being_pending_after_the_ttl()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var expectations = new CreationExpectations(clock);
        expectations.Created(Jobs, Key);
        clock.Now += CreationExpectations.Ttl - TimeSpan.FromSeconds(1);
        Assert.True(expectations.Pending(Jobs, Key));
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.False(expectations.Pending(Jobs, Key));
    }
}
