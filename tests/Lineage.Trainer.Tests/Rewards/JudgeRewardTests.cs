using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Tests.Preferences;
using Lineage.Trainer.Tokenization;

namespace Lineage.Trainer.Tests.Rewards;

public sealed class JudgeRewardTests
{
    static readonly IReadOnlyList<Problem> Problems = ProblemSet.Load(new DataConfig { Task = "addition", Digits = 1, Count = 6 });
    static readonly IReadOnlyList<string> Candidates = Problems.Select((p, i) => i % 2 == 0 ? p.Completion : "<answer>0</answer>").ToList();

    static double[] Score(IRewardFunction judge) =>
        judge.ScoreAsync(Problems, Candidates, Candidates.Select(c => c.Length).ToList(), default).AsTask().Result;

    [Fact]
    public void An_untrained_judge_scores_zero_and_counts_every_unparsable_reply_without_throwing()
    {
        using var model = PretrainedModel.Create(PreferenceFixtures.TinyInit, BuiltInTokenizer.Create(), seed: 1);
        using var judge = new JudgeReward(model, ["be right"], samples: 2, maxScore: 10,
            new SamplingConfig { Temperature = 1.0, MaxNewTokens = 8, Stop = ["</answer>"], Seed = 3 });

        var scores = Score(judge);

        Assert.All(scores, s => Assert.Equal(0, s));
        Assert.Equal(12, judge.Judged);
        Assert.Equal(12, judge.Unparsable);
        Assert.Equal(12, judge.Counts["unparsable"]);
    }

    [Fact]
    public void A_judge_trained_by_sft_on_judgments_gives_rewards_in_the_unit_interval_through_the_factory()
    {
        using var dir = new TemporaryDirectory();
        // The judgments teach a constant verdict: enough to prove the sft -> judge -> parse -> reward path on a tiny model.
        var rows = ProblemSet.Load(new DataConfig { Task = "addition", Digits = 1, Count = 200 })
            .Select(p => new Problem(p.Id, "judge", JudgePrompt.Render(["be right"], p.Prompt, p.Completion, 10), "7", "ok")).ToList();
        ProblemSet.WriteJsonl(dir.File("judgments.jsonl"), rows);
        new SftRun(new SftConfig
        {
            Output = dir.File("judge/model"), Init = PreferenceFixtures.TinyInit with { MaxPositionEmbeddings = 256 },
            Train = new DataConfig { Path = dir.File("judgments.jsonl"), Count = 0 },
            Optim = new OptimConfig { LearningRate = 1e-2, WarmupSteps = 2 }, Steps = 40, BatchSize = 16, MaxSeqLen = 160, Seed = 1,
        }, SilentObserver.Instance).Run();

        var judge = (JudgeReward)RewardFactory.Create(new RewardSpec { Name = "judge", Model = dir.File("judge/model"), Principles = ["be right"] });
        var scores = Score(judge);

        Assert.All(scores, s => Assert.InRange(s, 0, 1));
        Assert.Equal(6, judge.Judged);
        Assert.True(judge.Unparsable < judge.Judged, $"{judge.Unparsable} of {judge.Judged} unparsable: {string.Join(" | ", judge.LastVerdicts.Select(v => v.Status))}");
        Assert.Contains(scores, s => Math.Abs(s - 0.7) < 1e-9);
        judge.Dispose();

        using var policy = PretrainedModel.Create(PreferenceFixtures.TinyInit, BuiltInTokenizer.Create(), seed: 2);
        var (result, _) = EvalRunner.Evaluate(new EvalConfig
        {
            Model = "tiny", Metric = "judge", Data = new DataConfig { Task = "addition", Digits = 1, Split = "test", Count = 4 },
            Judge = new RewardSpec { Name = "judge", Model = dir.File("judge/model"), Principles = ["be right"] },
            Sampling = new SamplingConfig { MaxNewTokens = 8 },
        }, policy);
        Assert.Equal("judge", result.Metric);
        Assert.InRange(result.Score, 0, 1);
        Assert.True(result.Score > 0, "the trained judge's verdicts parse, so the eval score is its mean reward");
    }
}
