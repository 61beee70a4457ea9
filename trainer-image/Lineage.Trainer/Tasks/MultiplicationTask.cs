using System.Numerics;
using System.Text;

namespace Lineage.Trainer.Tasks;

/// <summary>
/// <c>47*85=</c> with one partial product per digit of the right operand (least significant first,
/// shifted by its place value), then a running sum: <c>47*5=235|47*80=3760|235+3760=3995</c>.
/// Each partial product is a multi-digit step, which is why a tiny model stays imperfect after SFT.
/// </summary>
public sealed class MultiplicationTask(int digits) : IProblemGenerator
{
    public const string Name = "multiplication";

    public string Task => Name;

    public Problem Next(Random random) => Create(Operands.Draw(random, digits), Operands.Draw(random, digits));

    public string SplitKey(Problem problem) => problem.Prompt;

    public static Problem Create(long left, long right)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(left);
        ArgumentOutOfRangeException.ThrowIfNegative(right);
        BigInteger product = new BigInteger(left) * right;
        return new Problem("", Name, $"{left}*{right}=", product.ToString(), Trace(left, right));
    }

    static string Trace(long left, long right)
    {
        var trace = new StringBuilder();
        var partials = new List<BigInteger>();
        string rightDigits = right.ToString();
        for (int place = 0; place < rightDigits.Length; place++)
        {
            int digit = rightDigits[rightDigits.Length - 1 - place] - '0';
            BigInteger shiftedDigit = digit * BigInteger.Pow(10, place);
            BigInteger partial = left * shiftedDigit;
            if (place > 0) trace.Append('|');
            trace.Append($"{left}*{shiftedDigit}={partial}");
            partials.Add(partial);
        }
        BigInteger running = partials[0];
        foreach (var partial in partials.Skip(1))
        {
            trace.Append($"|{running}+{partial}={running + partial}");
            running += partial;
        }
        return trace.ToString();
    }
}
