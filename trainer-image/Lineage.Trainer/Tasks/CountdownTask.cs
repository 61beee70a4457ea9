using System.Text;

namespace Lineage.Trainer.Tasks;

/// <summary>
/// <c>countdown 25 5 3 7 -> 72</c>: reach the target with + - * / using each number at most once.
/// Solvable by construction: the numbers are combined pairwise at random (subtraction stays positive,
/// division only when exact) until one value is left, and that value is the target. The reasoning
/// lists those steps (<c>25-5=20|20*3=60|60+7=67</c>) and the answer is the same solution as one
/// expression; at verification any correct expression counts.
/// </summary>
public sealed class CountdownTask(int numbers, int maxTarget, int maxNumber) : IProblemGenerator
{
    public const string Name = "countdown";
    const int MaxAttempts = 100_000;

    public string Task => Name;

    public Problem Next(Random random)
    {
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var drawn = Enumerable.Range(0, numbers).Select(_ => random.Next(1, maxNumber + 1)).ToArray();
            if (TryBuild(random, drawn) is { } problem) return problem;
        }
        throw new InvalidOperationException(
            $"countdown: no target in [1, {maxTarget}] reachable from {numbers} numbers in [1, {maxNumber}] after {MaxAttempts} draws; raise maxTarget or lower numbers");
    }

    public string SplitKey(Problem problem) =>
        string.Join(' ', problem.Numbers!.Order()) + " -> " + problem.Target;

    /// <summary>The prompt for a puzzle; numbers keep the order they are given in.</summary>
    public static string Prompt(IReadOnlyList<int> numbers, int target) => $"countdown {string.Join(' ', numbers)} -> {target}";

    Problem? TryBuild(Random random, int[] drawn)
    {
        var pool = drawn.Select(n => (Node)new Leaf(n)).ToList();
        var steps = new List<string>();
        while (pool.Count > 1)
        {
            int i = random.Next(pool.Count), j = random.Next(pool.Count - 1);
            if (j >= i) j++;
            var combined = Combine(random, pool[i], pool[j]);
            if (combined is null) return null;
            steps.Add($"{combined.Left.Value}{combined.Op}{combined.Right.Value}={combined.Value}");
            pool.RemoveAt(Math.Max(i, j));
            pool.RemoveAt(Math.Min(i, j));
            pool.Add(combined);
        }
        long target = pool[0].Value;
        // A target equal to a given number is solved by writing that number: no reasoning to learn.
        if (target < 1 || target > maxTarget || drawn.Contains((int)target)) return null;
        return new Problem("", Name, Prompt(drawn, (int)target), pool[0].Render(), string.Join('|', steps), drawn, (int)target);
    }

    static Binary? Combine(Random random, Node a, Node b)
    {
        var (big, small) = a.Value >= b.Value ? (a, b) : (b, a);
        return "+-*/"[random.Next(4)] switch
        {
            '+' => new Binary('+', a, b),
            '-' when big.Value != small.Value => new Binary('-', big, small),
            '*' => new Binary('*', a, b),
            '/' when small.Value > 1 && big.Value % small.Value == 0 => new Binary('/', big, small),
            _ => null,
        };
    }

    abstract record Node
    {
        public abstract long Value { get; }
        public abstract int Precedence { get; }
        public abstract string Render();
    }

    sealed record Leaf(long Number) : Node
    {
        public override long Value => Number;
        public override int Precedence => 3;
        public override string Render() => Number.ToString();
    }

    sealed record Binary(char Op, Node Left, Node Right) : Node
    {
        public override long Value => Op switch
        {
            '+' => Left.Value + Right.Value,
            '-' => Left.Value - Right.Value,
            '*' => Left.Value * Right.Value,
            _ => Left.Value / Right.Value,
        };

        public override int Precedence => Op is '+' or '-' ? 1 : 2;

        // Minimal parentheses: a right operand of equal precedence needs them only under - and /.
        public override string Render()
        {
            var text = new StringBuilder();
            text.Append(Left.Precedence < Precedence ? $"({Left.Render()})" : Left.Render());
            text.Append(Op);
            bool wrapRight = Right.Precedence < Precedence || (Right.Precedence == Precedence && Op is '-' or '/');
            text.Append(wrapRight ? $"({Right.Render()})" : Right.Render());
            return text.ToString();
        }
    }
}
