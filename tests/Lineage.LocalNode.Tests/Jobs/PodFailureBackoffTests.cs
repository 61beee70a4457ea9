using k8s.Models;
using Lineage.LocalNode.Jobs;

namespace Lineage.LocalNode.Tests.Jobs;

public sealed class PodFailureBackoffTests
{
    static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    static V1Pod Finished(DateTime at) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p" },
        Status = new V1PodStatus { ContainerStatuses = [new V1ContainerStatus { State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { FinishedAt = at } } }] },
    };

    [Theory]
    [InlineData(1, 0, 10)]
    [InlineData(2, 0, 20)]
    [InlineData(3, 0, 40)]
    [InlineData(3, 15, 25)]
    [InlineData(3, 40, 0)]
    [InlineData(20, 0, 600)]
    public void The_delay_doubles_per_failure_since_the_last_success_up_to_the_cap(int failures, int secondsSince, int expected)
    {
        var backoff = new PodFailureBackoff(failures, T0);

        Assert.Equal(TimeSpan.FromSeconds(expected), backoff.Remaining(T0.AddSeconds(secondsSince), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void A_success_after_the_last_failure_resets_the_count()
    {
        var after = new PodFailureBackoff(2, T0).After([Finished(T0.AddSeconds(20))], [Finished(T0.AddSeconds(10))]);

        Assert.Equal(PodFailureBackoff.None, after);
        Assert.Equal(TimeSpan.Zero, after.Remaining(T0, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void New_failures_add_up_and_the_newest_sets_the_clock()
    {
        var after = new PodFailureBackoff(1, T0).After([], [Finished(T0.AddSeconds(5)), Finished(T0.AddSeconds(9))]);

        Assert.Equal(new PodFailureBackoff(3, T0.AddSeconds(9)), after);
    }
}
