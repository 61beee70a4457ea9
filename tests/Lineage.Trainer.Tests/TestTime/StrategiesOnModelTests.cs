using Lineage.Contracts.Config;
using Lineage.Trainer.Evaluation;
using Lineage.Trainer.Model;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Tests.Distillation;
using Lineage.Trainer.TestTime;

namespace Lineage.Trainer.Tests.TestTime;

/// <summary>The strategies on a real (tiny, SFT'd) model: what they generate, spend and answer.</summary>
public sealed class StrategiesOnModelTests
{
    static readonly IReadOnlyList<Problem> Problems = ProblemSet.Load(TinyTeacher.Addition with { Split = "test", Count = 8 });
    static readonly SamplingConfig Sampling = new() { Temperature = 0.5, MaxNewTokens = 40 };

    [Fact]
    public void Greedy_decodes_exactly_what_the_evaluator_decodes()
    {
        using var model = PretrainedModel.Load(TinyTeacher.Model);
        using var greedy = new GreedyStrategy(Sampling, batchSize: 64);
        var solutions = greedy.Solve(model, Problems);
        var eval = Evaluator.Greedy(model, Problems, Sampling.MaxNewTokens);
        Assert.Equal(eval.Completions.Select(c => c[0]), solutions.Select(s => s.Candidates[0].Text));
        Assert.Equal(eval.Summary.Accuracy, TestTimeReport.Of("greedy", solutions, 0).Accuracy, precision: 12);
    }

    [Fact]
    public void Self_consistency_votes_over_n_seeded_samples_per_problem()
    {
        using var model = PretrainedModel.Load(TinyTeacher.Model);
        IReadOnlyList<Solution> Solve() { using var s = new SelfConsistencyStrategy(4, Sampling, batchSize: 16, seed: 3); return s.Solve(model, Problems); }
        var solutions = Solve();

        Assert.All(solutions, s =>
        {
            Assert.Equal(4, s.Samples);
            Assert.Equal(s.Candidates.Sum(c => (long)c.Tokens), s.Tokens);
            Assert.Equal(SelfConsistencyStrategy.Decide(s.Problem, s.Candidates).Answer, s.Answer);
        });
        Assert.True(solutions.Select(s => s.Candidates.Select(c => c.Text).Distinct().Count()).Max() > 1, "samples at T = 0.5 differ");
        Assert.Equal(solutions.Select(s => s.Candidates.Select(c => c.Text)), Solve().Select(s => s.Candidates.Select(c => c.Text)));
    }

    [Fact]
    public void Self_refine_adds_one_revision_per_round_each_reading_the_last_answered_attempt()
    {
        using var model = PretrainedModel.Load(TinyTeacher.Model);
        using var refine = new SelfRefineStrategy(rounds: 2, Sampling with { Temperature = 0 }, batchSize: 64, seed: 1);
        var solutions = refine.Solve(model, Problems);

        using var greedy = new GreedyStrategy(Sampling, batchSize: 64);
        var first = greedy.Solve(model, Problems);
        Assert.All(solutions.Zip(first), pair =>
        {
            var (s, g) = pair;
            Assert.Equal(3, s.Samples);
            Assert.Equal(g.Candidates[0].Text, s.Candidates[0].Text);                      // round 0 is the greedy answer
            Assert.All(s.Candidates.Skip(1), r => Assert.Equal(SelfRefinement.DirectTrace(r.Text), r.Trace));
            Assert.Equal(SelfRefineStrategy.Latest(s.Candidates), s.Chosen);
        });
    }

    [Fact]
    public void Eval_scores_self_refine_and_reports_what_it_spent()
    {
        using var model = PretrainedModel.Load(TinyTeacher.Model);
        var config = new EvalConfig { Model = "tiny", Metric = "selfRefine", Rounds = 1, Data = TinyTeacher.Addition with { Split = "test", Count = 8 }, Sampling = Sampling with { Temperature = 0 } };

        var (result, run) = EvalRunner.Evaluate(config, model);

        Assert.Equal(run.Report.Accuracy, result.Score);
        Assert.Equal(2, result.Scores["samplesPerProblem"]);
        Assert.Equal(run.Solutions.Average(s => s.Tokens), result.Scores["tokensPerProblem"], precision: 9);
        Assert.True(result.Scores.ContainsKey("firstAnswerAccuracy"));
        Assert.True(result.Scores["seconds"] > 0);
    }
}
