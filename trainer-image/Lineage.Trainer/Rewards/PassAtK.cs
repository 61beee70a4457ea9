namespace Lineage.Trainer.Rewards;

/// <summary>
/// Unbiased pass@k (Chen et al., 2021): the chance that at least one of k samples drawn without
/// replacement from n, of which c are correct, is correct: 1 − C(n−c, k) / C(n, k).
/// </summary>
public static class PassAtK
{
    public static double Estimate(int samples, int correct, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(correct);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(correct, samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, samples);
        if (samples - correct < k) return 1.0;
        // C(n−c, k) / C(n, k) as a product of factors below 1: no overflowing binomials.
        double allWrong = 1.0;
        for (int i = samples - correct + 1; i <= samples; i++) allWrong *= 1.0 - (double)k / i;
        return 1.0 - allWrong;
    }
}
