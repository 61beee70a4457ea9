using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Trainer.Model;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Tokenization;

namespace Lineage.Trainer.Tests.Grpo;

/// <summary>GRPO with a judge term and a judge check, on tiny real models: a judge that cannot judge is measured, refused and replaced.</summary>
public sealed class GrpoJudgeCheckTests
{
    /// <summary>An untrained judge (its replies never parse, so every sample scores 0: a tie, exactly random).</summary>
    static string UntrainedJudge(TemporaryDirectory dir)
    {
        string path = dir.File("judge");
        using var model = PretrainedModel.Create(TinyGrpo.Shape with { MaxPositionEmbeddings = 512 }, BuiltInTokenizer.Create(), seed: 7);
        model.Save(path);
        return path;
    }

    static GrpoConfig WithJudge(TemporaryDirectory dir, JudgeCheckConfig check)
    {
        var config = TinyGrpo.Config(TinyGrpo.Policy(dir), dir.File("out/model"), steps: 2);
        var judge = new RewardSpec
        {
            Name = "judge", Model = UntrainedJudge(dir), Principles = ["the answer is correct"], Weight = 0.5,
            Sampling = new SamplingConfig { Temperature = 0, MaxNewTokens = 6 },
        };
        return config with { Rewards = [.. config.Rewards, judge], JudgeCheck = check };
    }

    [Fact]
    public void A_judge_no_better_than_random_is_not_used_and_the_run_trains_on_the_verifiable_reward_and_says_so()
    {
        using var dir = new TemporaryDirectory();
        var notes = new NoteCollector();
        var outcome = new GrpoRun(WithJudge(dir, new JudgeCheckConfig { Problems = 4, Samples = 3 }), notes).Run();

        var progress = ContractJson.Deserialize<Progress>(File.ReadAllText(dir.File("out/progress.json")), "progress.json");
        Assert.True(progress.Done);
        var judge = Assert.IsType<JudgeCheckResult>(progress.Judge);
        Assert.False(judge.Used);
        Assert.Equal(JudgeCheckResult.NotBetterThanRandom, judge.Reason);
        Assert.Equal(4, judge.Problems);
        Assert.Equal(3, judge.Samples);
        Assert.Equal(12, judge.Unparsable);
        Assert.Equal(judge.RandomAccuracy, judge.PickAccuracy, 12);
        Assert.Contains("training on regex", judge.Message);
        Assert.False(judge.Trained);
        Assert.Equal(judge, outcome.Judge);
        Assert.Contains(notes.Notes, n => n.Contains("not better than random"));

        // The steps were scored by the remaining rule term alone: no judge metrics, the regex reward is the total.
        var train = File.ReadAllLines(dir.File("out/metrics.jsonl")).Where(l => l.Contains("\"train\"")).ToList();
        Assert.NotEmpty(train);
        Assert.All(train, line => Assert.DoesNotContain("judge", line));
        Assert.All(train, line => Assert.Contains("regex", line));
    }

    [Fact]
    public void A_judge_trained_on_the_policys_own_samples_is_measured_before_and_after_training()
    {
        using var dir = new TemporaryDirectory();
        var check = new JudgeCheckConfig
        {
            Problems = 3, Samples = 2,
            Train = new JudgeTrainConfig { Prompts = 4, Samples = 2, Steps = 2, BatchSize = 4 },
        };
        var outcome = new GrpoRun(WithJudge(dir, check), SilentObserver.Instance).Run();

        var judge = ContractJson.Deserialize<Progress>(File.ReadAllText(dir.File("out/progress.json")), "progress.json").Judge!;
        Assert.True(judge.Trained);
        Assert.NotNull(judge.PickAccuracyBeforeTraining);
        Assert.Contains("before training on 8 judgments", judge.Message);
        Assert.Equal(judge.Used ? JudgeCheckResult.BetterThanRandom : JudgeCheckResult.NotBetterThanRandom, judge.Reason);
        Assert.Equal(2, outcome.RewardCurve.Count);
    }

    [Fact]
    public void A_resumed_run_keeps_the_judge_decision_without_checking_again()
    {
        using var dir = new TemporaryDirectory();
        var config = WithJudge(dir, new JudgeCheckConfig { Problems = 2, Samples = 2 }) with { Steps = 3, CheckpointEvery = 1 };
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => new GrpoRun(config, new Runs.CancelAtStep(cts, 2)).Run(cts.Token));
        var first = ContractJson.Deserialize<Progress>(File.ReadAllText(dir.File("out/progress.json")), "progress.json").Judge!;

        var notes = new NoteCollector();
        var outcome = new GrpoRun(config, notes).Run();

        Assert.InRange(outcome.Steps, 1, 2);   // resumed from a checkpoint, not from scratch
        Assert.Equal(first, outcome.Judge);
        Assert.False(outcome.Judge!.Used);
        Assert.DoesNotContain(notes.Notes, n => n.Contains("better than random"));
        Assert.Equal(first, ContractJson.Deserialize<Progress>(File.ReadAllText(dir.File("out/progress.json")), "progress.json").Judge);
    }

    [Fact]
    public void A_judge_check_without_exactly_one_judge_term_is_refused_naming_the_field()
    {
        using var dir = new TemporaryDirectory();
        var config = TinyGrpo.Config(TinyGrpo.Policy(dir), dir.File("out/model"), steps: 1) with { JudgeCheck = new JudgeCheckConfig() };
        var e = Assert.Throws<ConfigError>(() => new GrpoRun(config, SilentObserver.Instance).Run());
        Assert.Contains("judgeCheck: needs exactly one judge term", e.Message);
    }

    sealed class NoteCollector : IRunObserver
    {
        public List<string> Notes { get; } = [];
        public void Note(string message) => Notes.Add(message);
    }
}
