using Lineage.Trainer.Distillation;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.TestTime;

namespace Lineage.Trainer.Tests.Distillation;

/// <summary>Each filter on hand-made candidates of 47*85= (3995).</summary>
public sealed class TraceFilterTests
{
    static readonly Problem Problem = MultiplicationTask.Create(47, 85);

    static Candidate C(string answer, string work = "w") => new(ThinkFormat.Render(work, answer), 10, truncated: false);
    static Candidate Broken(string answer) => new($"<answer>{answer}</answer>", 10, truncated: false);

    static TraceFilterSettings Settings(string filter, int max = 8, double threshold = 0.5, double minJudge = 0.7) => new(filter, minJudge, threshold, max);

    // candidates: 3995 (a), 3985, 3995 (b), 3995 without the think block, 3995 (a) again, 3985
    static readonly Candidate[] Mixed = [C("3995", "a"), C("3985"), C("3995", "b"), Broken("3995"), C("3995", "a"), C("3985")];

    [Fact]
    public void Verified_keeps_every_distinct_well_formed_correct_candidate_chosen_first()
    {
        var solution = new Solution(Problem, Mixed, Chosen: 2, Answer: "3995");
        Assert.Equal([2, 0], TraceFilter.Keep(solution, Settings("verified")));            // 3 is malformed, 4 repeats 0
        Assert.Equal([2], TraceFilter.Keep(solution, Settings("verified", max: 1)));
    }

    [Fact]
    public void Verified_keeps_nothing_when_no_candidate_is_right()
    {
        var solution = new Solution(Problem, [C("3985"), C("4000")], Chosen: 0, Answer: "3985");
        Assert.Empty(TraceFilter.Keep(solution, Settings("verified")));
    }

    [Fact]
    public void Consistency_keeps_the_majority_answer_when_its_share_reaches_the_threshold()
    {
        var solution = SelfConsistencyStrategy.Decide(Problem, Mixed);                     // 3995: 4 of 6 votes
        Assert.Equal(4.0 / 6, solution.Share, precision: 12);
        Assert.Equal([0, 2], TraceFilter.Keep(solution, Settings("consistency", threshold: 0.6)));
        Assert.Empty(TraceFilter.Keep(solution, Settings("consistency", threshold: 0.7)));
    }

    [Fact]
    public void Consistency_needs_no_label_and_keeps_a_confident_wrong_answer()
    {
        var solution = SelfConsistencyStrategy.Decide(Problem, [C("3985"), C("3985", "v"), C("3995")]);
        Assert.Equal([0, 1], TraceFilter.Keep(solution, Settings("consistency", threshold: 0.5)));
    }

    [Fact]
    public void Judge_score_keeps_candidates_scored_at_least_the_minimum_and_rejects_unparsable_verdicts()
    {
        var solution = BestOfNStrategy.Decide(Problem, [C("3995", "a"), C("3985"), C("3995", "b"), C("3995", "c")],
            rewards: [0.8, 0.2, 0.9, 0.75], judged: [true, true, true, false]);
        Assert.Equal(2, solution.Chosen);
        Assert.Equal([2, 0], TraceFilter.Keep(solution, Settings("judgeScore", minJudge: 0.7)));   // 3 scored 0.75 but did not parse
        Assert.Equal([2], TraceFilter.Keep(solution, Settings("judgeScore", minJudge: 0.85)));
        Assert.Empty(TraceFilter.Keep(solution, Settings("judgeScore", minJudge: 0.95)));
    }

    [Fact]
    public void Judge_score_without_scores_keeps_nothing()
    {
        var solution = new Solution(Problem, [C("3995")], Chosen: 0, Answer: "3995");
        Assert.Empty(TraceFilter.Keep(solution, Settings("judgeScore", minJudge: 0)));
    }

    [Fact]
    public void None_keeps_the_chosen_candidate_right_or_wrong_but_never_a_malformed_one()
    {
        Assert.Equal([1], TraceFilter.Keep(new Solution(Problem, Mixed, Chosen: 1, Answer: "3985"), Settings("none")));
        Assert.Empty(TraceFilter.Keep(new Solution(Problem, Mixed, Chosen: 3, Answer: "3995"), Settings("none")));
    }

    [Fact]
    public void A_self_refine_revision_is_kept_as_its_direct_trace()
    {
        var attempt = C("3985");
        string text = "<think>47*5=235|47*80=3760|235+3760=3995; got 3985: wrong; format ok</think><answer>3995</answer>";
        var revision = new Candidate(text, 30, false, SelfRefinement.DirectTrace(text));
        var solution = new Solution(Problem, [attempt, revision], Chosen: 1, Answer: "3995");

        Assert.Equal([1], TraceFilter.Keep(solution, Settings("verified")));
        var trace = TraceHarvester.TraceOf(solution, 1, 0, "teacher", "selfRefine", "verified");
        Assert.Equal(("47*5=235|47*80=3760|235+3760=3995", "3995", true), (trace.Reasoning, trace.Answer, trace.Verified));
        Assert.Equal(0.5, trace.VoteShare, precision: 12);
    }
}
