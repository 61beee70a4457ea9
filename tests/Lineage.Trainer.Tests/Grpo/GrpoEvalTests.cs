using Lineage.Trainer.Evaluation;
using Lineage.Trainer.Model;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Tests.Grpo;

public sealed class GrpoEvalTests
{
    [Fact]
    public void The_final_eval_of_a_run_sees_what_the_saved_model_writes()
    {
        using var dir = new TemporaryDirectory();
        var config = TinyGrpo.Config(TinyGrpo.Policy(dir), dir.File("out/model"), steps: 2) with { EvalEvery = 1, EvalProblems = 8 };
        var outcome = new GrpoRun(config, SilentObserver.Instance).Run();
        using var saved = PretrainedModel.Load(dir.File("out/model"));
        var problems = ProblemSet.Load(config.Data with { Split = "test", Count = 8 });
        var fresh = Evaluator.Greedy(saved, problems, config.Sampling.MaxNewTokens);
        Assert.Equal(fresh.Completions, outcome.FinalEval!.Completions);
    }
}
