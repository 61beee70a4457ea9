using Lineage.Operator.Runtime;

namespace Lineage.Operator.Tests.Runtime;

public sealed class OwnWritesTests
{
    static Widget At(string version, string phase)
    {
        var w = Widget.Named("team", "w");
        w.Metadata.ResourceVersion = version;
        w.Status = new WidgetStatus { Phase = phase };
        return w;
    }

    [Fact]
    public void The_own_write_is_read_while_the_cache_still_holds_the_version_it_replaced()
    {
        var own = new OwnWrites<Widget>();
        own.Wrote("5", At("6", "Pending"), cachedNow: At("5", "Before"));

        Assert.Equal("Pending", own.Latest(new ObjectKey("team", "w"), At("5", "New"))?.Status?.Phase);
    }

    [Fact]
    public void Any_other_cached_version_wins_and_the_memory_is_dropped()
    {
        var own = new OwnWrites<Widget>();
        var key = new ObjectKey("team", "w");
        own.Wrote("5", At("6", "Pending"), cachedNow: At("5", "Before"));

        Assert.Equal("ChangedElsewhere", own.Latest(key, At("7", "ChangedElsewhere"))?.Status?.Phase);
        Assert.Equal("New", own.Latest(key, At("5", "New"))?.Status?.Phase); // forgotten: a stale cache is no longer overlaid
        own.Wrote("7", At("8", "Running"), cachedNow: At("7", "Before"));
        Assert.Null(own.Latest(key, null)); // deleted
        Assert.Equal("New", own.Latest(key, At("7", "New"))?.Status?.Phase);
    }

    [Fact]
    public void The_cache_receiving_the_written_version_drops_the_memory_without_a_reconcile()
    {
        var own = new OwnWrites<Widget>();
        var key = new ObjectKey("team", "w");
        own.Wrote("5", At("6", "Succeeded"), cachedNow: At("5", "Before"));

        own.Observed(At("5", "Running")); // an older event still on its way: the write is still ahead of the cache
        Assert.Equal(1, own.Count);
        own.Observed(At("6", "Succeeded")); // the echo, which a controller ignoring status-only changes never reconciles
        Assert.Equal(0, own.Count);
        Assert.Equal("Running", own.Latest(key, At("5", "Running"))?.Status?.Phase); // nothing overlays the cache any more
    }

    [Fact]
    public void A_write_whose_echo_or_deletion_reached_the_cache_before_its_answer_is_not_remembered()
    {
        var own = new OwnWrites<Widget>();
        var key = new ObjectKey("team", "w");

        own.Wrote("5", At("6", "Pending"), cachedNow: At("6", "Pending"));
        Assert.Equal(0, own.Count);
        own.Wrote("6", At("7", "Running"), cachedNow: null);
        Assert.Equal(0, own.Count);
        own.Wrote("7", At("8", "Done"), cachedNow: At("7", "Running"));
        Assert.Equal("Done", own.Latest(key, At("7", "Running"))?.Status?.Phase);
    }

    [Fact]
    public void Observing_another_object_keeps_the_memory()
    {
        var own = new OwnWrites<Widget>();
        own.Wrote("5", At("6", "Succeeded"), cachedNow: At("5", "Before"));
        var other = Widget.Named("team", "v");
        other.Metadata.ResourceVersion = "9";

        own.Observed(other);

        Assert.Equal(1, own.Count);
    }
}
