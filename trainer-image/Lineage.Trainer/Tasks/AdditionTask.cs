using System.Text;

namespace Lineage.Trainer.Tasks;

/// <summary>
/// <c>347+285=</c> with the column sums written least-significant digit first:
/// <c>7+5+0=12|4+8+1=13|3+2+1=06</c>, answer <c>632</c>.
/// Every step has the same width "a+b+carry=CD" (C the carry out, D the written digit), so a tiny
/// char-level model copies the carry from a fixed offset and the answer is the D digits read backwards,
/// led by the last C when it is 1.
/// </summary>
public sealed class AdditionTask(int digits) : IProblemGenerator
{
    public const string Name = "addition";

    public string Task => Name;

    public Problem Next(Random random) => Create(Operands.Draw(random, digits), Operands.Draw(random, digits));

    public string SplitKey(Problem problem) => problem.Prompt;

    public static Problem Create(long left, long right)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(left);
        ArgumentOutOfRangeException.ThrowIfNegative(right);
        return new Problem("", Name, $"{left}+{right}=", (left + right).ToString(), Trace(left, right));
    }

    static string Trace(long left, long right)
    {
        int columns = Math.Max(left.ToString().Length, right.ToString().Length);
        var trace = new StringBuilder();
        long carry = 0;
        for (int column = 0; column < columns; column++)
        {
            long a = left % 10, b = right % 10, sum = a + b + carry;
            if (column > 0) trace.Append('|');
            trace.Append($"{a}+{b}+{carry}={sum / 10}{sum % 10}");
            carry = sum / 10;
            left /= 10;
            right /= 10;
        }
        return trace.ToString();
    }
}
