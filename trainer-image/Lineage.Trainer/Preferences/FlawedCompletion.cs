using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Preferences;

/// <summary>
/// Rewrites a problem's reference completion with one <see cref="Flaw"/>, seeded. A wrong answer is
/// checked with the verifier, so it is wrong for every task (countdown included: any expression
/// reaching the target would count as right).
/// </summary>
public static class FlawedCompletion
{
    static readonly long[] Deltas = [1, -1, 2, -2, 9, -9, 10, -10, 100, -100];

    public static string With(Problem problem, Flaw flaw, Random random) => flaw switch
    {
        Flaw.WrongAnswer => ThinkFormat.Render(problem.Reasoning, WrongAnswer(problem, random)),
        Flaw.BrokenFormat => (random.Next(3)) switch
        {
            0 => $"{ThinkFormat.AnswerOpen}{problem.Answer}{ThinkFormat.AnswerClose}",
            1 => $"{ThinkFormat.ThinkOpen}{problem.Reasoning}{ThinkFormat.ThinkClose}{problem.Answer}",
            _ => $"{ThinkFormat.ThinkOpen}{problem.Reasoning}{ThinkFormat.ThinkClose}{ThinkFormat.AnswerOpen}{problem.Answer}",
        },
        Flaw.Truncated => Truncated(problem, random),
        Flaw.WrongWork => WrongWork.Of(problem, random) is { } work ? ThinkFormat.Render(work.Reasoning, work.Answer)
            : ThinkFormat.Render(problem.Reasoning, WrongAnswer(problem, random)),
        _ => throw new ArgumentOutOfRangeException(nameof(flaw), flaw, null),
    };

    /// <summary>An answer the verifier rejects for <paramref name="problem"/>.</summary>
    public static string WrongAnswer(Problem problem, Random random)
    {
        for (int attempt = 0; attempt < 32; attempt++)
        {
            string candidate = Candidate(problem, random);
            if (!AnswerVerifier.IsCorrectAnswer(problem, candidate)) return candidate;
        }
        // A number outside every task's range; never correct for a positive-answer task.
        return "-1";
    }

    static string Candidate(Problem problem, Random random)
    {
        if (long.TryParse(problem.Answer, out long value))
            return Math.Abs(value + Deltas[random.Next(Deltas.Length)]).ToString();
        if (problem.IsCountdown)
        {
            var chars = problem.Answer.ToCharArray();
            var operators = Enumerable.Range(0, chars.Length).Where(i => "+-*/".Contains(chars[i]) && i > 0).ToList();
            if (operators.Count > 0)
            {
                int at = operators[random.Next(operators.Count)];
                chars[at] = "+-*"[random.Next(3)];
                return new string(chars);
            }
            return problem.Numbers![random.Next(problem.Numbers.Count)].ToString();
        }
        return problem.Answer + random.Next(1, 10);
    }

    static string Truncated(Problem problem, Random random)
    {
        string reasoning = problem.Reasoning ?? "";
        int cut = reasoning.Length <= 1 ? reasoning.Length : random.Next(1, reasoning.Length);
        return ThinkFormat.ThinkOpen + reasoning[..cut];
    }
}
