namespace Lineage.Trainer.Tasks;

/// <summary>Random N-digit operands: no leading zero, except that 1-digit operands include 0.</summary>
internal static class Operands
{
    public static long Draw(Random random, int digits)
    {
        long high = Pow10(digits);
        long low = digits == 1 ? 0 : Pow10(digits - 1);
        return random.NextInt64(low, high);
    }

    public static long Pow10(int exponent)
    {
        long value = 1;
        for (int i = 0; i < exponent; i++) value *= 10;
        return value;
    }
}
