using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Rendering;

namespace Lineage.Operator.Decisions;

/// <summary>
/// A Generation's life as a pure function: resolve the input (base or Promoted parent), train it through an
/// owned GrpoRun or Distillation, evaluate the result, apply the gate, and in manual mode wait for approval.
/// Promoted, Rejected and Failed are final.
/// </summary>
public static class GenerationDecision
{
    /// <summary>
    /// Only waits on things nothing watches (a parent that may appear in another way, a Secret) poll; training
    /// and evaluation are woken by the owned run's and Job's watch events, so 1,000 idle generations cost nothing.
    /// </summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);

    public static GenerationPlan Decide(GenerationObservation o)
    {
        var generation = o.Generation;
        var spec = generation.Spec;
        var old = generation.Status ?? new Generation.GenerationStatus();
        var labels = Labels(generation);
        if (GenerationPhases.IsFinal(old.Phase)) return new(old, null, null, null, labels, [], null);

        var c = new ConditionBuilder(old.Conditions, generation.Metadata.Generation, o.Now);
        var status = old with { ObservedGeneration = generation.Metadata.Generation };
        var plan = new Builder(old, c, labels);

        var parent = ParentResolution.Of(generation, o.Ancestors);
        c.Set(ConditionTypes.ParentReady, parent.Resolved, parent.Reason, parent.Message);
        // No poll: the controller watches Generations by spec.parent, so the parent's own change wakes its children.
        if (!parent.Resolved) return plan.Done(status with { Phase = GenerationPhases.Pending }, null);
        status = status with { GenerationNumber = parent.Number, ParentScore = parent.ParentScore };

        // A spec that can never run (refused image or store, a config the trainer would refuse) fails before any wait for its Secret.
        if (o.ConfigProblem is { } problem)
        {
            c.Set(ConditionTypes.Failed, true, Reasons.InvalidSpec, problem);
            return plan.Done(status with { Phase = GenerationPhases.Failed }, null);
        }

        if (TrainingRunDecision.SecretProblem(o.Secret, spec.Storage.SecretName) is { } secret)
        {
            c.Set(ConditionTypes.StorageReady, false, secret.Reason, secret.Message);
            return plan.Done(status with { Phase = GenerationPhases.Pending }, Poll);
        }
        if (o.Secret == SecretState.Found) c.Set(ConditionTypes.StorageReady, true, Reasons.SecretFound, $"Secret {spec.Storage.SecretName} has both keys");

        // Training: an owned run from the template, or the input itself when there is nothing to train.
        string model;
        if (spec.Training is { Grpo: null, Distillation: null } or null)
        {
            model = parent.Input!;
            c.Set(ConditionTypes.Trained, true, Reasons.NoTraining, $"no training: the generation is {model}");
        }
        else
        {
            var kind = spec.Training.Grpo is not null ? GrpoRun.KindName : Distillation.KindName;
            status = status with { TrainingRef = new TrainingRef { Kind = kind, Name = generation.Metadata.Name } };
            var run = o.Training;
            if (run?.Judge is { } judge)
            {
                status = status with { Judge = judge };
                c.Set(ConditionTypes.JudgeQualified, judge.Used, judge.Reason, judge.Message);
            }
            switch (run?.Phase)
            {
                case RunPhases.Succeeded:
                    model = run.Output ?? RunTemplates.ModelUri(generation);
                    status = status with { Internalisation = run.Internalisation ?? status.Internalisation };
                    c.Set(ConditionTypes.Trained, true, Reasons.TrainingSucceeded, $"{kind} {run.Name} succeeded; model at {model}");
                    break;
                case RunPhases.Failed:
                    var message = $"{kind} {run.Name} failed: {run.Message ?? "no message"}";
                    c.Set(ConditionTypes.Trained, false, Reasons.TrainingFailed, message);
                    c.Set(ConditionTypes.Failed, true, Reasons.TrainingFailed, message);
                    return plan.Done(status with { Phase = GenerationPhases.Failed }, null);
                default:
                    c.Set(ConditionTypes.Trained, false, Reasons.TrainingRunning,
                        run is null ? $"creating {kind} {generation.Metadata.Name}" : $"{kind} {run.Name} is {run.Phase ?? RunPhases.Pending}: {run.Message ?? "starting"}");
                    plan.Child(generation, parent.Input!);
                    return plan.Done(status with { Phase = GenerationPhases.Training }, null);
            }
        }
        status = status with { Checkpoint = new CheckpointRef { Uri = model, Sha256 = o.ManifestSha256 ?? status.Checkpoint?.Sha256 } };

        // Evaluation: one Job, its result read from the store.
        var evalJobName = ChildNames.EvaluationJob(generation.Metadata.Name);
        status = status with { EvaluationJob = evalJobName };
        var job = JobState.Of(o.EvaluationJob);
        if (job?.State is JobState.Kind.Failed)
        {
            var message = $"evaluation Job {evalJobName} failed ({job.Reason ?? "unknown reason"})" + (o.EvaluationTermination is null ? "" : $": {o.EvaluationTermination}");
            c.Set(ConditionTypes.Evaluated, false, Reasons.EvaluationFailed, message);
            c.Set(ConditionTypes.Failed, true, Reasons.EvaluationFailed, message);
            return plan.Done(status with { Phase = GenerationPhases.Failed }, null);
        }
        if (job?.State is not JobState.Kind.Succeeded)
        {
            c.Set(ConditionTypes.Evaluated, false, Reasons.EvaluationRunning, $"evaluating {model} ({spec.Evaluation.Metric}, {spec.Evaluation.Problems} problems)");
            plan.Evaluate(model);
            return plan.Done(status with { Phase = GenerationPhases.Evaluating }, null);
        }
        if (o.EvalResult is not { } result)
        {
            var message = $"evaluation Job {evalJobName} succeeded but {RunTemplates.EvalResultUri(generation)} is missing";
            c.Set(ConditionTypes.Evaluated, false, Reasons.EvaluationResultMissing, message);
            c.Set(ConditionTypes.Failed, true, Reasons.EvaluationResultMissing, message);
            return plan.Done(status with { Phase = GenerationPhases.Failed }, null);
        }
        // Promotion rests on an evaluation of this generation's own model: a result for another one (left in the store by
        // an earlier generation of the same name, or written by someone else) is never a verdict.
        if (!string.Equals(result.Model, model, StringComparison.Ordinal))
        {
            var message = $"{RunTemplates.EvalResultUri(generation)} evaluated {(result.Model.Length == 0 ? "no named model" : result.Model)}, not this generation's model {model}";
            c.Set(ConditionTypes.Evaluated, false, Reasons.EvaluationModelMismatch, message);
            c.Set(ConditionTypes.Failed, true, Reasons.EvaluationModelMismatch, message);
            return plan.Done(status with { Phase = GenerationPhases.Failed }, null);
        }
        status = status with { Score = result.Score, Scores = Scores(result) };
        c.Set(ConditionTypes.Evaluated, true, Reasons.EvaluationSucceeded,
            $"score {PromotionGate.F(result.Score)} ({result.Metric} on {result.Problems} problems)");

        // The gate, then (manual mode) the approval.
        var verdict = PromotionGate.Judge(result.Score, parent.ParentScore, spec.Promotion, o.Training?.Reward);
        if (!verdict.Passed)
        {
            c.Set(ConditionTypes.Promoted, false, verdict.Reason, verdict.Message);
            return plan.Done(status with { Phase = GenerationPhases.Rejected }, null);
        }
        var approved = generation.Metadata.Annotations?.TryGetValue(WellKnown.ApprovedAnnotation, out var approval) == true && approval == "true";
        if (spec.Promotion.Mode == PromotionSpec.Manual && !approved)
        {
            c.Set(ConditionTypes.Promoted, false, Reasons.AwaitingApproval,
                $"{verdict.Message}; set annotation {WellKnown.ApprovedAnnotation}=true to promote");
            return plan.Done(status with { Phase = GenerationPhases.Evaluating }, null);
        }
        c.Set(ConditionTypes.Promoted, true, approved ? Reasons.Approved : Reasons.GatePassed, verdict.Message + (approved ? " (approved)" : ""));
        // Promotion is status.phase alone (a CRD selectable field), so it costs no metadata write.
        return plan.Done(status with { Phase = GenerationPhases.Promoted, PromotedAt = o.Now }, null);
    }

    static Dictionary<string, string> Labels(Generation generation) =>
        new(generation.Metadata.Labels ?? new Dictionary<string, string>())
        {
            [WellKnown.LineageLabel] = generation.Spec.Lineage,
        };

    static Dictionary<string, double> Scores(Lineage.Contracts.Store.EvalResult result)
    {
        var scores = new Dictionary<string, double>(result.Scores)
        {
            ["accuracy"] = result.Accuracy,
            ["formatRate"] = result.FormatRate,
            ["meanCompletionTokens"] = result.MeanCompletionTokens,
        };
        scores[result.Metric] = result.Score;
        return scores;
    }

    /// <summary>Collects the plan's parts as the decision walks the lifecycle.</summary>
    sealed class Builder(Generation.GenerationStatus old, ConditionBuilder conditions, Dictionary<string, string> labels)
    {
        GrpoRun? _grpo;
        Distillation? _distillation;
        string? _evaluate;

        public void Child(Generation generation, string input)
        {
            var training = generation.Spec.Training!;
            if (training.Grpo is { } grpo) _grpo = RunTemplates.GrpoRunFor(generation, grpo, input);
            else _distillation = RunTemplates.DistillationFor(generation, training.Distillation!, input);
        }

        public void Evaluate(string model) => _evaluate = model;

        public GenerationPlan Done(Generation.GenerationStatus status, TimeSpan? requeue)
        {
            status = status with { Conditions = conditions.Conditions };
            var events = StatusEvents.OfGeneration(StatusEvents.Between(old.Phase, old.Conditions, status.Phase, status.Conditions,
                status.Phase is GenerationPhases.Failed));
            return new(status, _grpo, _distillation, _evaluate, labels, events, requeue);
        }
    }
}
