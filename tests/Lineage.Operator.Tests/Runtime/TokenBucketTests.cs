using Lineage.Operator.Runtime;

namespace Lineage.Operator.Tests.Runtime;

public sealed class TokenBucketTests
{
    static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_burst_is_free_then_each_retry_waits_for_its_token()
    {
        var bucket = new TokenBucket(perSecond: 10, burst: 3);
        Assert.Equal([0.0, 0.0, 0.0], Enumerable.Range(0, 3).Select(_ => bucket.Reserve(T0).TotalSeconds));
        Assert.Equal(0.1, bucket.Reserve(T0).TotalSeconds, 9);
        Assert.Equal(0.2, bucket.Reserve(T0).TotalSeconds, 9);
    }

    [Fact]
    public void Tokens_come_back_over_time_up_to_the_burst()
    {
        var bucket = new TokenBucket(perSecond: 10, burst: 2);
        bucket.Reserve(T0);
        bucket.Reserve(T0);
        Assert.Equal(TimeSpan.Zero, bucket.Reserve(T0.AddSeconds(0.1)));
        Assert.Equal(0.1, bucket.Reserve(T0.AddSeconds(0.1)).TotalSeconds, 9);

        var rested = T0.AddMinutes(1);
        Assert.Equal(TimeSpan.Zero, bucket.Reserve(rested));
        Assert.Equal(TimeSpan.Zero, bucket.Reserve(rested));
        Assert.True(bucket.Reserve(rested) > TimeSpan.Zero, "the bucket never holds more than the burst");
    }

    [Fact]
    public void A_queue_of_failing_keys_is_held_to_the_overall_rate()
    {
        using var queue = new WorkQueue(new BackoffPolicy(TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1), 0),
            time: new ManualClock(T0), retryRate: new TokenBucket(10, 5));
        var delays = Enumerable.Range(0, 10).Select(i => queue.AddRateLimited(new ObjectKey("ns", $"k{i}"))).ToList();
        Assert.All(delays.Take(5), d => Assert.Equal(1, d.TotalMilliseconds, 6));
        Assert.Equal(0.5, delays[^1].TotalSeconds, 9);
    }

    [Theory]
    [InlineData(0, 1, "perSecond")]
    [InlineData(1, 0, "burst")]
    public void Bad_settings_name_the_field(double perSecond, int burst, string field) =>
        Assert.Equal(field, Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(perSecond, burst)).ParamName);
}
