using Lineage.Contracts.Config;
using Lineage.Trainer.Evaluation;
using Lineage.Trainer.Model;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Tests.Grpo;
using Lineage.Trainer.Tests.Model;
using Lineage.Trainer.Tokenization;

namespace Lineage.Trainer.Tests.Evaluation;

public sealed class EvaluatorTests
{
    static readonly IReadOnlyList<Problem> Problems = ProblemSet.Load(new DataConfig { Task = "addition", Digits = 2, Count = 5 });

    // Weights from a formula rather than N(0, 0.02): a freshly initialised model answers every prompt alike.
    static PretrainedModel Policy()
    {
        var policy = PretrainedModel.Create(TinyGrpo.Shape, BuiltInTokenizer.Create(), seed: 4);
        TinyModels.FillFixed(policy.Model);
        return policy;
    }

    [Fact]
    public void K_samples_are_grouped_by_problem_across_batches_and_at_temperature_zero_each_is_the_greedy_answer()
    {
        using var model = Policy();
        var greedy = Evaluator.Greedy(model, Problems, maxNewTokens: 8);
        // batchSize 7 with 3 samples: two problems per batch, the last batch holds one.
        var grouped = Evaluator.Run(model, Problems, new SamplingConfig { Temperature = 0, MaxNewTokens = 8 }, samplesPerProblem: 3, k: 3, batchSize: 7, seed: 0);
        Assert.Equal(Problems.Count, grouped.Completions.Count);
        Assert.True(greedy.Completions.Select(c => c[0]).Distinct().Count() > 1, "the problems should decode differently");
        for (int p = 0; p < Problems.Count; p++) Assert.Equal(Enumerable.Repeat(greedy.Completions[p][0], 3), grouped.Completions[p]);
    }

    [Fact]
    public void Sampled_evaluation_repeats_under_its_seed()
    {
        using var model = Policy();
        var hot = new SamplingConfig { Temperature = 1.0, MaxNewTokens = 8 };
        var first = Evaluator.Run(model, Problems, hot, samplesPerProblem: 4, k: 4, batchSize: 8, seed: 9);
        var again = Evaluator.Run(model, Problems, hot, samplesPerProblem: 4, k: 4, batchSize: 8, seed: 9);
        Assert.Equal(first.Completions, again.Completions);
        Assert.Contains(first.Completions, samples => samples.Distinct().Count() > 1);
    }
}
