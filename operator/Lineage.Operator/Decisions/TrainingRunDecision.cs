using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// GrpoRun and Distillation: from the observed Job and progress.json to the run's status. A finished run
/// stays finished (its Job is never recreated); an active run is looked at again within 30 s so its
/// progress is mirrored at least that often.
/// </summary>
public static class TrainingRunDecision
{
    public static readonly TimeSpan ActivePoll = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan WaitingPoll = TimeSpan.FromSeconds(30);

    public static TrainingRunPlan Decide(TrainingRunObservation o)
    {
        var old = o.Status ?? new RunStatus();
        if (RunPhases.IsFinal(old.Phase)) return new(old, EnsureJob: false, [], null);

        var c = new ConditionBuilder(old.Conditions, o.Generation, o.Now);
        var status = old with { ObservedGeneration = o.Generation, JobName = o.JobName };

        if (o.ConfigProblem is not null)
        {
            c.Set(ConditionTypes.Failed, true, Reasons.InvalidSpec, o.ConfigProblem);
            return Finish(old, status with { Phase = RunPhases.Failed }, c, ensureJob: false, requeue: null);
        }
        if (o.Input is null)
        {
            c.Set(ConditionTypes.Running, false, Reasons.ModelNotReady, o.InputProblem ?? "the input model is not known yet");
            return Finish(old, status with { Phase = RunPhases.Pending }, c, ensureJob: false, WaitingPoll);
        }
        if (SecretProblem(o.Secret, o.SecretName) is { } problem)
        {
            c.Set(ConditionTypes.StorageReady, false, problem.Reason, problem.Message);
            return Finish(old, status with { Phase = RunPhases.Pending }, c, ensureJob: false, WaitingPoll);
        }
        if (o.Secret == SecretState.Found) c.Set(ConditionTypes.StorageReady, true, Reasons.SecretFound, $"Secret {o.SecretName} has both keys");

        status = Mirror(status, o);
        var job = JobState.Of(o.Job);
        switch (job?.State)
        {
            case null:
                c.Set(ConditionTypes.Running, false, Reasons.JobCreated, $"creating Job {o.JobName}");
                return Finish(old, status with { Phase = RunPhases.Pending }, c, ensureJob: true, ActivePoll);
            case JobState.Kind.Succeeded:
                c.Set(ConditionTypes.Running, false, Reasons.JobSucceeded, $"Job {o.JobName} completed");
                c.Set(ConditionTypes.Succeeded, true, Reasons.JobSucceeded, $"trained {StepText(status)}; model at {o.Output}");
                return Finish(old, status with { Phase = RunPhases.Succeeded, Output = o.Output }, c, ensureJob: true, requeue: null);
            case JobState.Kind.Failed:
                var reason = job.Reason switch
                {
                    "BackoffLimitExceeded" => Reasons.BackoffLimitExceeded,
                    "DeadlineExceeded" => Reasons.DeadlineExceeded,
                    "PodFailurePolicy" => Reasons.TrainerInputRejected,
                    _ => Reasons.JobFailed,
                };
                var message = $"Job {o.JobName} failed ({job.Reason ?? "unknown reason"}: {job.Message ?? "no message"})"
                    + (o.TerminationMessage is null ? "" : $"; trainer said: {o.TerminationMessage}");
                c.Set(ConditionTypes.Running, false, reason, message);
                c.Set(ConditionTypes.Failed, true, reason, message);
                return Finish(old, status with { Phase = RunPhases.Failed }, c, ensureJob: true, requeue: null);
            case JobState.Kind.Suspended:
                c.Set(ConditionTypes.Running, false, Reasons.JobSuspended, $"Job {o.JobName} is suspended at {StepText(status)}");
                return Finish(old, status with { Phase = RunPhases.Suspended }, c, ensureJob: true, requeue: null);
            case JobState.Kind.Active:
                c.Set(ConditionTypes.Running, true, Reasons.JobRunning, $"training, {StepText(status)}");
                return Finish(old, status with { Phase = RunPhases.Running }, c, ensureJob: true, ActivePoll);
            default:
                c.Set(ConditionTypes.Running, false, Reasons.JobPending, $"Job {o.JobName} has no running pod yet");
                return Finish(old, status with { Phase = RunPhases.Pending }, c, ensureJob: true, ActivePoll);
        }
    }

    /// <summary>A problem with the storage Secret that blocks starting pods, or null.</summary>
    public static (string Reason, string Message)? SecretProblem(SecretState secret, string? name) => secret switch
    {
        SecretState.Missing => (Reasons.SecretNotFound, $"Secret {name} (storage.secretName) not found"),
        SecretState.Forbidden => (Reasons.SecretForbidden,
            $"Secret {name} (storage.secretName) may not be read by the operator (403 Forbidden): list it in the chart's rbac.secretNames"),
        SecretState.KeyMissing => (Reasons.SecretKeyMissing,
            $"Secret {name} (storage.secretName) must hold {StorageSpec.AccessKeyIdKey} and {StorageSpec.SecretAccessKeyKey}"),
        _ => null,
    };

    static RunStatus Mirror(RunStatus status, TrainingRunObservation o)
    {
        var job = JobState.Of(o.Job);
        if (job is not null)
            status = status with { Restarts = job.Failures, StartTime = job.StartTime ?? status.StartTime, CompletionTime = job.CompletionTime ?? status.CompletionTime };
        if (o.Progress is { } p)
            status = status with
            {
                Step = p.Step,
                TotalSteps = p.TotalSteps,
                LastCheckpoint = p.LastCheckpoint ?? status.LastCheckpoint,
                Metrics = ProgressMetrics.Of(p.Metrics),
            };
        return status;
    }

    static string StepText(RunStatus s) => s.Step is null ? "no progress reported yet" : $"step {s.Step}/{s.TotalSteps}";

    static TrainingRunPlan Finish(RunStatus old, RunStatus status, ConditionBuilder c, bool ensureJob, TimeSpan? requeue)
    {
        status = status with { Conditions = c.Conditions };
        var events = StatusEvents.Between(old.Phase, old.Conditions, status.Phase, status.Conditions, status.Phase == RunPhases.Failed);
        return new(status, ensureJob, events, requeue);
    }
}
