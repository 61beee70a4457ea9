using Lineage.Operator.Runtime;

namespace Lineage.Operator.Tests.Runtime;

public sealed class BackoffPolicyTests
{
    static readonly BackoffPolicy Policy = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), 0.25);

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(6, 3200)]
    [InlineData(7, 5000)]
    [InlineData(60, 5000)]
    [InlineData(1000, 5000)]
    public void Delay_doubles_per_failure_up_to_the_cap_and_stays_within_the_jitter(int failures, double nominal)
    {
        Assert.Equal(nominal * 0.75, Policy.Delay(failures, 0).TotalMilliseconds, 6);
        Assert.Equal(nominal, Policy.Delay(failures, 0.5).TotalMilliseconds, 6);
        Assert.InRange(Policy.Delay(failures, 0.999999).TotalMilliseconds, nominal * 1.2499, nominal * 1.25);
    }

    [Fact]
    public void Jitter_spreads_keys_that_failed_the_same_number_of_times()
    {
        var random = new Random(3);
        var delays = Enumerable.Range(0, 50).Select(_ => Policy.Delay(4, random.NextDouble())).Distinct().Count();
        Assert.True(delays > 40, $"only {delays} distinct delays");
    }

    [Fact]
    public void No_failure_means_no_delay() => Assert.Equal(TimeSpan.Zero, Policy.Delay(0, 0.5));

    [Theory]
    [InlineData(0, 1000, 0.1, "Base")]
    [InlineData(100, 50, 0.1, "Max")]
    [InlineData(100, 1000, 1.0, "Jitter")]
    [InlineData(100, 1000, -0.1, "Jitter")]
    public void Invalid_policies_name_the_field(int baseMs, int maxMs, double jitter, string field)
    {
        var policy = new BackoffPolicy(TimeSpan.FromMilliseconds(baseMs), TimeSpan.FromMilliseconds(maxMs), jitter);
        var error = Assert.Throws<ArgumentException>(policy.Validate);
        Assert.Equal(field, error.ParamName);
    }
}
