using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// The part of an owned GrpoRun's or Distillation's status a Generation acts on (and shows); <see cref="Reward"/> is a
/// GrpoRun's training-reward trend, for the gate; <see cref="Judge"/> its judge check.
/// </summary>
public sealed record TrainingRunSummary(string Kind, string Name, string? Phase, string? Message, string? Output, double? Internalisation = null,
    RewardTrend? Reward = null, JudgeCheckResult? Judge = null)
{
    /// <param name="kind">GrpoRun or Distillation.</param>
    /// <param name="name">The run's name.</param>
    /// <param name="status">The run's status; null before it has one.</param>
    /// <param name="rewards">The run's reward terms (a GrpoRun's spec.rewards); none for a Distillation.</param>
    public static TrainingRunSummary Of(string kind, string name, RunStatus? status, IReadOnlyList<RewardSpec>? rewards = null)
    {
        var failed = status?.Conditions.FirstOrDefault(c => c.Type == ConditionTypes.Failed && c.Status == "True");
        var running = status?.Conditions.FirstOrDefault(c => c.Type == ConditionTypes.Running);
        return new(kind, name, status?.Phase, failed?.Message ?? running?.Message, status?.Output,
            (status as Distillation.DistillationStatus)?.Internalisation, rewards is null ? null : RewardTrend.Of(status?.Metrics, rewards),
            (status as GrpoRun.GrpoRunStatus)?.Judge);
    }
}
