using System.Globalization;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Rewards;

/// <summary>Is a completion's final answer correct for its problem?</summary>
public static class AnswerVerifier
{
    public const double DefaultTolerance = 1e-6;

    public static bool IsCorrect(Problem problem, string completion, double tolerance = DefaultTolerance) =>
        ThinkFormat.FinalAnswer(completion) is { } answer && IsCorrectAnswer(problem, answer, tolerance);

    /// <summary>
    /// Countdown: the answer is an expression checked against the numbers and target. Otherwise the
    /// normalised answers must be equal; integers compare exactly (a relative tolerance would accept
    /// off-by-one on long products) and only decimals get the relative tolerance.
    /// </summary>
    public static bool IsCorrectAnswer(Problem problem, string answer, double tolerance = DefaultTolerance)
    {
        if (problem.IsCountdown) return CountdownExpression.Solves(answer, problem.Numbers!, problem.Target!.Value);
        string given = AnswerNormalizer.Normalize(answer);
        string expected = AnswerNormalizer.Normalize(problem.Answer);
        if (given == expected) return true;
        if (AnswerNormalizer.IsInteger(given) && AnswerNormalizer.IsInteger(expected)) return false;
        return double.TryParse(given, NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
            && double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out double b)
            && Math.Abs(a - b) <= tolerance * Math.Max(Math.Abs(a), Math.Abs(b));
    }
}
