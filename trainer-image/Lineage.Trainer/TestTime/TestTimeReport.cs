namespace Lineage.Trainer.TestTime;

/// <summary>
/// What a strategy bought and what it cost on a set of problems.
/// </summary>
/// <param name="Accuracy">Share of problems whose answer is correct.</param>
/// <param name="PassAtN">Share of problems with at least one correct candidate (what a perfect picker would reach).</param>
/// <param name="MeanShare">Mean share of candidates agreeing with the answer (self-consistency's vote share).</param>
/// <param name="FormatRate">Share of all candidates in the think format.</param>
/// <param name="SamplesPerProblem">Completions generated per problem.</param>
/// <param name="TokensPerProblem">Tokens generated per problem.</param>
/// <param name="Seconds">Wall time of the strategy (generation and ranking).</param>
public sealed record TestTimeReport(string Strategy, int Problems, double Accuracy, double PassAtN, double MeanShare, double FormatRate,
    double SamplesPerProblem, double TokensPerProblem, double TruncationRate, double Seconds)
{
    public static TestTimeReport Of(string strategy, IReadOnlyList<Solution> solutions, double seconds)
    {
        if (solutions.Count == 0) throw new ArgumentException("no problems were solved", nameof(solutions));
        int n = solutions.Count;
        var all = solutions.SelectMany(s => s.Candidates).ToList();
        return new TestTimeReport(strategy, n,
            Accuracy: (double)solutions.Count(s => s.IsCorrect) / n,
            PassAtN: (double)solutions.Count(s => s.AnyCorrect) / n,
            MeanShare: solutions.Average(s => s.Share),
            FormatRate: all.Count == 0 ? 0 : (double)all.Count(c => Tasks.ThinkFormat.IsWellFormed(c.Text)) / all.Count,
            SamplesPerProblem: (double)all.Count / n,
            TokensPerProblem: (double)solutions.Sum(s => s.Tokens) / n,
            TruncationRate: all.Count == 0 ? 0 : (double)all.Count(c => c.Truncated) / all.Count,
            Seconds: seconds);
    }
}
