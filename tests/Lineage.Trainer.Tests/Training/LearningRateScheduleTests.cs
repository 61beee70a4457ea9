using Lineage.Trainer.Training;

namespace Lineage.Trainer.Tests.Training;

public sealed class LearningRateScheduleTests
{
    [Theory]
    [InlineData(0, 0.25)]    // warmup: (0+1)/4 of peak
    [InlineData(3, 1.0)]     // last warmup step reaches the peak
    [InlineData(4, 1.0)]     // cosine starts at the peak
    [InlineData(9, 0.55)]    // half-way through decay: min + (1-min)/2
    [InlineData(14, 0.1)]    // last step: the floor
    [InlineData(100, 0.1)]   // past the end stays at the floor
    public void Warms_up_linearly_then_decays_by_cosine_to_the_floor(long step, double expectedFraction)
    {
        double lr = LearningRateSchedule.At(step, totalSteps: 15, peak: 2.0, warmupSteps: 4, minRatio: 0.1);
        Assert.Equal(2.0 * expectedFraction, lr, 10);
    }
}
