using Lineage.Contracts.Store;
using Lineage.Trainer.Grpo;

namespace Lineage.Trainer.Tests.Grpo;

public sealed class RewardWindowsTests
{
    static Dictionary<string, double> Reported(RewardWindows windows)
    {
        var metrics = new Dictionary<string, double>();
        windows.Report(metrics);
        return metrics;
    }

    [Fact]
    public void Reports_the_mean_reward_of_the_first_and_of_the_latest_steps()
    {
        var windows = new RewardWindows(size: 3);
        foreach (var reward in new[] { 0.1, 0.2, 0.3, 0.5, 0.7, 0.9 }) windows.Add(reward);
        var metrics = Reported(windows);
        Assert.Equal(0.2, metrics[Progress.RewardFirst], 12);
        Assert.Equal(0.7, metrics[Progress.RewardLast], 12);
    }

    [Fact]
    public void A_run_shorter_than_the_window_averages_all_its_steps_in_both()
    {
        var windows = new RewardWindows(size: 10);
        windows.Add(0.2);
        windows.Add(0.4);
        var metrics = Reported(windows);
        Assert.Equal(0.3, metrics[Progress.RewardFirst], 12);
        Assert.Equal(0.3, metrics[Progress.RewardLast], 12);
    }

    [Fact]
    public void Nothing_is_reported_before_the_first_step()
    {
        Assert.Empty(Reported(new RewardWindows()));
    }

    [Fact]
    public void Windows_restored_from_a_checkpoint_continue_as_if_never_interrupted()
    {
        double[] rewards = [0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.4];
        var straight = new RewardWindows(size: 3);
        foreach (var r in rewards) straight.Add(r);

        var before = new RewardWindows(size: 3);
        foreach (var r in rewards[..2]) before.Add(r);
        var resumed = new RewardWindows(before.First, before.Last, size: 3);
        foreach (var r in rewards[2..]) resumed.Add(r);

        Assert.Equal(straight.First, resumed.First);
        Assert.Equal(straight.Last, resumed.Last);
        Assert.Equal(Reported(straight), Reported(resumed));
    }
}
