using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.TestTime;

namespace Lineage.Trainer.Distillation;

/// <summary>Which traces of a teacher's solution a distillation keeps (<see cref="Lineage.Contracts.Config.DistillConfig.Filter"/>).</summary>
/// <param name="Filter">verified, consistency, judgeScore or none.</param>
public sealed record TraceFilterSettings(string Filter, double MinJudgeScore, double ConsistencyThreshold, int MaxTracesPerPrompt);

/// <summary>
/// The trace filter, pure: which candidates of one <see cref="Solution"/> become training traces. A kept trace is always
/// in the think format (the student learns the format too) and distinct from the others kept for the prompt; the
/// strategy's chosen candidate comes first, then the rest in sampling order, at most maxTracesPerPrompt.
/// <list type="bullet">
/// <item>verified: every candidate whose answer the verifier accepts (rejection sampling);</item>
/// <item>consistency: when the answer's share of the candidates reaches the threshold, the candidates that gave it (no labels);</item>
/// <item>judgeScore: candidates the judge scored at least minJudgeScore; a verdict that did not parse rejects the candidate;</item>
/// <item>none: the chosen candidate.</item>
/// </list>
/// </summary>
public static class TraceFilter
{
    public static IReadOnlyList<int> Keep(Solution solution, TraceFilterSettings settings)
    {
        var candidates = solution.Candidates;
        bool Accepted(int i) => settings.Filter switch
        {
            "verified" => candidates[i].Answer is { } a && AnswerVerifier.IsCorrectAnswer(solution.Problem, a),
            "consistency" => solution.Share >= settings.ConsistencyThreshold && solution.Answer is not null && candidates[i].Answer is { } a
                && AnswerNormalizer.Normalize(a) == AnswerNormalizer.Normalize(solution.Answer),
            "judgeScore" => solution.Rewards is { } r && r[i] >= settings.MinJudgeScore && (solution.Judged is not { } judged || judged[i]),
            "none" => i == solution.Chosen,
            _ => throw new ArgumentException($"filter: unknown filter '{settings.Filter}'", nameof(settings)),
        };
        var order = new[] { solution.Chosen }.Concat(Enumerable.Range(0, candidates.Count).Where(i => i != solution.Chosen));
        var kept = new List<int>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (int i in order)
        {
            if (kept.Count == settings.MaxTracesPerPrompt) break;
            if (candidates[i].Trace is not { } trace || !ThinkFormat.TryParse(trace, out string reasoning, out string answer)) continue;
            if (!Accepted(i) || !seen.Add(ThinkFormat.Render(reasoning, answer))) continue;
            kept.Add(i);
        }
        return kept;
    }
}
