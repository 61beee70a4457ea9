using Lineage.Trainer.Tasks;
using Lineage.Trainer.TestTime;

namespace Lineage.Trainer.Tests.TestTime;

/// <summary>What each strategy makes of given candidates, hand-computed (the sampling itself is tested on a real model elsewhere).</summary>
public sealed class StrategyDecisionTests
{
    static readonly Problem Problem = MultiplicationTask.Create(47, 85);   // 3995

    static Candidate C(string answer, int tokens = 10) => new(ThinkFormat.Render("w", answer), tokens, truncated: false);
    static Candidate Cut(int tokens = 10) => new("<think>47*5=2", tokens, truncated: true);

    [Fact]
    public void Self_consistency_answers_the_vote_from_its_first_sample_and_reports_the_vote_share()
    {
        var solution = SelfConsistencyStrategy.Decide(Problem, [C("3985"), Cut(), C("3,995"), C("3995"), C("3985"), C("3995")]);

        Assert.Equal(2, solution.Chosen);                  // 3995 wins 3–2; its first sample is index 2
        Assert.Equal("3,995", solution.Answer);
        Assert.Equal(0.5, solution.Share, precision: 12);  // 3 of 6 samples, the cut-off one included
        Assert.True(solution.IsCorrect);
        Assert.Equal((6, 60L), (solution.Samples, solution.Tokens));
    }

    [Fact]
    public void Self_consistency_over_samples_without_answers_has_no_answer()
    {
        var solution = SelfConsistencyStrategy.Decide(Problem, [Cut(), Cut()]);
        Assert.Null(solution.Answer);
        Assert.Equal(0, solution.Share);
        Assert.False(solution.IsCorrect);
        Assert.False(solution.AnyCorrect);
    }

    [Fact]
    public void Best_of_n_answers_the_highest_reward_and_keeps_every_reward()
    {
        var solution = BestOfNStrategy.Decide(Problem, [C("3985"), C("3995"), C("3995"), C("4000")], [0.2, 0.9, 0.9, 0.95]);

        Assert.Equal(3, solution.Chosen);
        Assert.Equal("4000", solution.Answer);
        Assert.False(solution.IsCorrect);
        Assert.True(solution.AnyCorrect);                  // a verifier as ranker would have found 3995
        Assert.Equal(0.25, solution.Share, precision: 12);
        Assert.Equal([0.2, 0.9, 0.9, 0.95], solution.Rewards);
    }

    [Fact]
    public void Self_refine_answers_with_the_last_revision_that_has_an_answer()
    {
        Assert.Equal(2, SelfRefineStrategy.Latest([C("3985"), C("3990"), C("3995")]));
        Assert.Equal(1, SelfRefineStrategy.Latest([C("3985"), C("3995"), Cut()]));   // a cut-off revision keeps the attempt it reviewed
        Assert.Equal(1, SelfRefineStrategy.Latest([Cut(), Cut()]));
    }

    [Fact]
    public void A_revision_is_reviewed_in_the_direct_form_it_was_trained_on()
    {
        string revision = "<think>47*5=235|47*80=3760|235+3760=3995; got 3985: wrong; format ok</think><answer>3995</answer>";
        var revised = new Candidate(revision, 30, false, SelfRefinement.DirectTrace(revision));
        Assert.Equal("<think>47*5=235|47*80=3760|235+3760=3995</think><answer>3995</answer>", SelfRefineStrategy.Reviewed(revised));
        Assert.Equal(C("3985").Text, SelfRefineStrategy.Reviewed(C("3985")));
        Assert.Equal("<think>47*5=2", SelfRefineStrategy.Reviewed(new Candidate("<think>47*5=2", 5, true, null)));
    }

    [Fact]
    public void The_report_counts_accuracy_pass_at_n_samples_and_tokens_per_problem()
    {
        var right = SelfConsistencyStrategy.Decide(Problem, [C("3995", 12), C("3995", 8)]);
        var wrong = SelfConsistencyStrategy.Decide(MultiplicationTask.Create(10, 10), [C("90", 5), C("100", 5), Cut(20)]);   // tie 90/100: 90 first

        var report = TestTimeReport.Of("selfConsistency", [right, wrong], seconds: 2.5);

        Assert.Equal(0.5, report.Accuracy, precision: 12);
        Assert.Equal(1.0, report.PassAtN, precision: 12);
        Assert.Equal(2.5, report.SamplesPerProblem, precision: 12);
        Assert.Equal(25.0, report.TokensPerProblem, precision: 12);      // (20 + 30) / 2
        Assert.Equal(4.0 / 5, report.FormatRate, precision: 12);
        Assert.Equal(1.0 / 5, report.TruncationRate, precision: 12);
        Assert.Equal((1.0 + 1.0 / 3) / 2, report.MeanShare, precision: 12);
        Assert.Equal(2.5, report.Seconds);
    }
}
