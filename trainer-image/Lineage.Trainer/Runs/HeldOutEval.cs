using Lineage.Trainer.Evaluation;
using Lineage.Trainer.Model;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Training;

namespace Lineage.Trainer.Runs;

/// <summary>The periodic greedy eval every training run does: score, record in the step metrics and the log, tell the observer.</summary>
static class HeldOutEval
{
    public static EvalRun Run(PretrainedModel model, IReadOnlyList<Problem> problems, int maxNewTokens, long step,
        MetricsLog metrics, Dictionary<string, double> last, IRunObserver observer)
    {
        var run = Evaluator.Greedy(model, problems, maxNewTokens);
        model.Model.train();
        last["evalAccuracy"] = run.Summary.Accuracy;
        last["evalFormatRate"] = run.Summary.FormatRate;
        last["evalMeanTokens"] = run.MeanCompletionTokens;
        metrics.Write("eval", new Dictionary<string, double> { ["accuracy"] = run.Summary.Accuracy, ["formatRate"] = run.Summary.FormatRate, ["meanTokens"] = run.MeanCompletionTokens }, step);
        observer.Evaluated(step, run);
        return run;
    }
}
