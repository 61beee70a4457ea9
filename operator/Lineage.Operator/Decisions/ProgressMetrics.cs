using Lineage.Contracts.Store;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>The progress.json metric names the operator mirrors into status.metrics.</summary>
public static class ProgressMetrics
{
    public const string RewardMean = "rewardMean";
    public const string Reward = "reward";
    public const string RewardFirst = Progress.RewardFirst;
    public const string RewardLast = Progress.RewardLast;
    public const string Accuracy = "accuracy";
    public const string Kl = "kl";
    public const string Loss = "loss";
    public const string TracesGenerated = "tracesGenerated";
    public const string TracesKept = "tracesKept";
    public const string TeacherAccuracy = "teacherAccuracy";
    public const string TeacherAccuracyWithStrategy = "teacherAccuracyWithStrategy";
    public const string StudentAccuracy = "studentAccuracy";
    public const string Internalisation = "internalisation";

    public static RunMetrics? Of(IReadOnlyDictionary<string, double> metrics)
    {
        double? Get(string key) => metrics.TryGetValue(key, out var v) && double.IsFinite(v) ? v : null;
        var result = new RunMetrics
        {
            RewardMean = Get(RewardMean) ?? Get(Reward), RewardFirst = Get(RewardFirst), RewardLast = Get(RewardLast),
            Accuracy = Get(Accuracy), Kl = Get(Kl), Loss = Get(Loss),
        };
        return result == new RunMetrics() ? null : result;
    }

    public static Distillation.DistillationStatus Distillation(RunStatus run, IReadOnlyDictionary<string, double>? metrics, Distillation.DistillationStatus? old)
    {
        double? Get(string key) => metrics is not null && metrics.TryGetValue(key, out var v) && double.IsFinite(v) ? v : null;
        return new Distillation.DistillationStatus(run)
        {
            TracesGenerated = (long?)Get(TracesGenerated) ?? old?.TracesGenerated,
            TracesKept = (long?)Get(TracesKept) ?? old?.TracesKept,
            TeacherAccuracy = Get(TeacherAccuracy) ?? old?.TeacherAccuracy,
            TeacherAccuracyWithStrategy = Get(TeacherAccuracyWithStrategy) ?? old?.TeacherAccuracyWithStrategy,
            StudentAccuracy = Get(StudentAccuracy) ?? old?.StudentAccuracy,
            Internalisation = Get(Internalisation) ?? old?.Internalisation,
        };
    }
}
