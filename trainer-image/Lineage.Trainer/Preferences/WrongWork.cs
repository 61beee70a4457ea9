using System.Text.RegularExpressions;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Preferences;

/// <summary>
/// A consistent mistake in a step trace like <c>47*5=235|47*80=3760|235+3760=3995</c>: one step's result is
/// nudged, later steps that use it are recomputed from the wrong value, and the answer is the last step's
/// result (<c>47*5=225|47*80=3760|225+3760=3985</c>). Only for traces whose last step is the answer
/// (multiplication); null otherwise.
/// </summary>
public static partial class WrongWork
{
    static readonly long[] Deltas = [1, -1, 10, -10, 2, -2, 100, -100, 20, -20];

    public static (string Reasoning, string Answer)? Of(Problem problem, Random random)
    {
        if (problem.Reasoning is not { Length: > 0 } reasoning) return null;
        var steps = reasoning.Split('|').Select(s => StepPattern().Match(s)).ToList();
        if (steps.Any(m => !m.Success) || steps[^1].Groups["result"].Value != problem.Answer) return null;
        var parsed = steps.Select(m => (Left: long.Parse(m.Groups["left"].Value), Op: m.Groups["op"].Value[0], Right: long.Parse(m.Groups["right"].Value))).ToList();
        int broken = random.Next(steps.Count);
        var replaced = new Dictionary<long, long>();
        var written = new List<string>();
        long result = 0;
        for (int i = 0; i < parsed.Count; i++)
        {
            var (left, op, right) = parsed[i];
            long truth = Apply(left, op, right);
            left = replaced.GetValueOrDefault(left, left);
            right = replaced.GetValueOrDefault(right, right);
            result = Apply(left, op, right);
            if (i == broken) result = Math.Abs(result + Deltas[random.Next(Deltas.Length)]);
            if (result != truth) replaced[truth] = result;
            written.Add($"{left}{op}{right}={result}");
        }
        string answer = result.ToString();
        return AnswerVerifier.IsCorrectAnswer(problem, answer) ? null : (string.Join('|', written), answer);
    }

    static long Apply(long left, char op, long right) => op switch
    {
        '+' => left + right,
        '-' => left - right,
        '*' => left * right,
        _ => right != 0 ? left / right : 0,
    };

    [GeneratedRegex(@"^(?<left>\d+)(?<op>[-+*/])(?<right>\d+)=(?<result>\d+)$")]
    private static partial Regex StepPattern();
}
