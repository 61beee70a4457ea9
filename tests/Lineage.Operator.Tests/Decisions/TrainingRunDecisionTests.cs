using Lineage.Contracts.Store;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Decisions;
using k8s.Models;
using static Lineage.Operator.Tests.Fixtures;

namespace Lineage.Operator.Tests.Decisions;

public sealed class TrainingRunDecisionTests
{
    const string JobName = "gen-2-train";
    const string Output = $"{StoreUri}/math/gen-2/model";

    static TrainingRunObservation Observe(V1Job? job = null, RunStatus? status = null, Progress? progress = null, string? termination = null,
        SecretState secret = SecretState.Found, string? input = "s3://models/gen-1/model", string? configProblem = null, RunControl? control = null) =>
        new(3, status, control ?? new GrpoTemplate(), input, input is null ? "Generation gen-1 has no promoted checkpoint" : null, configProblem,
            secret, "s3-creds", JobName, Output, job, progress, termination, Now);

    static Condition Cond(TrainingRunPlan plan, string type) => Assert.Single(plan.Status.Conditions, c => c.Type == type);

    static readonly Progress Halfway = new()
    {
        Kind = "grpo", Step = 60, TotalSteps = 120, LastCheckpoint = "s3://models/lineages/math/gen-2/checkpoints/step-60",
        Metrics = new Dictionary<string, double> { ["rewardMean"] = 0.41, ["accuracy"] = 0.38, ["kl"] = 0.012, ["loss"] = double.NaN },
    };

    [Fact]
    public void A_run_a_Generation_controls_records_its_Warnings_but_leaves_its_phase_changes_to_the_Generation()
    {
        IReadOnlyList<EventIntent> events =
        [
            new(EventIntent.Normal, RunPhases.Succeeded, "Running → Succeeded"),
            new(EventIntent.Warning, Reasons.RewardHackingSuspected, "reward rose while accuracy fell"),
        ];
        Assert.Equal([events[1]], StatusEvents.OfOwnedRun(events));
    }

    [Fact]
    public void Without_a_job_the_job_is_created_and_the_run_is_pending()
    {
        var plan = TrainingRunDecision.Decide(Observe());
        Assert.True(plan.EnsureJob);
        Assert.Equal(RunPhases.Pending, plan.Status.Phase);
        Assert.Equal(JobName, plan.Status.JobName);
        Assert.Equal(3, plan.Status.ObservedGeneration);
        Assert.Equal(Reasons.JobCreated, Cond(plan, ConditionTypes.Running).Reason);
        Assert.True(plan.RequeueAfter <= TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void A_running_job_mirrors_progress_and_is_looked_at_again_within_30_seconds()
    {
        var plan = TrainingRunDecision.Decide(Observe(Job(JobName, active: 1, failed: 1), progress: Halfway));
        Assert.Equal(RunPhases.Running, plan.Status.Phase);
        Assert.Equal((60L, 120L), (plan.Status.Step, plan.Status.TotalSteps));
        Assert.Equal(new RunMetrics { RewardMean = 0.41, Accuracy = 0.38, Kl = 0.012 }, plan.Status.Metrics);
        Assert.Equal(Halfway.LastCheckpoint, plan.Status.LastCheckpoint);
        Assert.Equal(1, plan.Status.Restarts);
        Assert.Equal(Now.AddMinutes(-10), plan.Status.StartTime);
        Assert.Equal(("True", "training, step 60/120"), (Cond(plan, ConditionTypes.Running).Status, Cond(plan, ConditionTypes.Running).Message));
        Assert.NotNull(plan.RequeueAfter);
        Assert.True(plan.RequeueAfter <= TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Progress_named_reward_is_read_as_the_reward_mean()
    {
        var progress = Halfway with { Metrics = new Dictionary<string, double> { ["reward"] = 0.7 } };
        var plan = TrainingRunDecision.Decide(Observe(Job(JobName, active: 1), progress: progress));
        Assert.Equal(0.7, plan.Status.Metrics?.RewardMean);
    }

    [Fact]
    public void The_training_reward_at_the_start_and_the_end_of_the_run_is_mirrored_for_the_gate()
    {
        var progress = Halfway with { Metrics = new Dictionary<string, double> { ["reward"] = 0.81, [Progress.RewardFirst] = 0.21, [Progress.RewardLast] = 0.78 } };
        var plan = TrainingRunDecision.Decide(Observe(Job(JobName, condition: "Complete"), progress: progress));
        Assert.Equal(new RunMetrics { RewardMean = 0.81, RewardFirst = 0.21, RewardLast = 0.78 }, plan.Status.Metrics);
    }

    [Fact]
    public void A_completed_job_succeeds_with_the_output_and_stops_polling()
    {
        var plan = TrainingRunDecision.Decide(Observe(Job(JobName, condition: "Complete"), progress: Halfway with { Step = 120, Done = true }));
        Assert.Equal(RunPhases.Succeeded, plan.Status.Phase);
        Assert.Equal(Output, plan.Status.Output);
        Assert.Equal(Now, plan.Status.CompletionTime);
        Assert.Equal("True", Cond(plan, ConditionTypes.Succeeded).Status);
        Assert.Null(plan.RequeueAfter);
        Assert.Contains(plan.Events, e => e is { Type: EventIntent.Normal, Reason: RunPhases.Succeeded });
    }

    [Theory]
    [InlineData("BackoffLimitExceeded", Reasons.BackoffLimitExceeded)]
    [InlineData("DeadlineExceeded", Reasons.DeadlineExceeded)]
    [InlineData("PodFailurePolicy", Reasons.TrainerInputRejected)]
    [InlineData("SomethingNew", Reasons.JobFailed)]
    public void A_failed_job_fails_the_run_with_the_reason_and_the_trainers_last_words(string jobReason, string reason)
    {
        var plan = TrainingRunDecision.Decide(Observe(Job(JobName, failed: 4, condition: "Failed", reason: jobReason, message: "Job has reached the specified limit"),
            termination: "ConfigError: rewards[0].pattern: is required"));
        Assert.Equal(RunPhases.Failed, plan.Status.Phase);
        var failed = Cond(plan, ConditionTypes.Failed);
        Assert.Equal(reason, failed.Reason);
        Assert.Contains(jobReason, failed.Message);
        Assert.Contains("trainer said: ConfigError: rewards[0].pattern: is required", failed.Message);
        Assert.Equal(4, plan.Status.Restarts);
        Assert.Contains(plan.Events, e => e.Type == EventIntent.Warning && e.Reason == reason);
        Assert.Contains(plan.Events, e => e is { Type: EventIntent.Warning, Reason: RunPhases.Failed });
        Assert.Null(plan.RequeueAfter);
    }

    [Fact]
    public void A_suspended_job_suspends_the_run()
    {
        var plan = TrainingRunDecision.Decide(Observe(Job(JobName, suspend: true, condition: "Suspended"), progress: Halfway));
        Assert.Equal(RunPhases.Suspended, plan.Status.Phase);
        Assert.Equal(Reasons.JobSuspended, Cond(plan, ConditionTypes.Running).Reason);
        Assert.Contains("step 60/120", Cond(plan, ConditionTypes.Running).Message);
        Assert.True(plan.EnsureJob);
    }

    [Theory]
    [InlineData(RunPhases.Succeeded)]
    [InlineData(RunPhases.Failed)]
    public void A_finished_run_never_recreates_its_job(string phase)
    {
        var old = new RunStatus { Phase = phase, JobName = JobName };
        var plan = TrainingRunDecision.Decide(Observe(job: null, status: old));
        Assert.False(plan.EnsureJob);
        Assert.Same(old, plan.Status);
        Assert.Empty(plan.Events);
    }

    [Theory]
    [InlineData(SecretState.Missing, Reasons.SecretNotFound)]
    [InlineData(SecretState.KeyMissing, Reasons.SecretKeyMissing)]
    public void A_missing_secret_waits_without_a_job(SecretState secret, string reason)
    {
        var plan = TrainingRunDecision.Decide(Observe(secret: secret));
        Assert.False(plan.EnsureJob);
        Assert.Equal(RunPhases.Pending, plan.Status.Phase);
        Assert.Equal(reason, Cond(plan, ConditionTypes.StorageReady).Reason);
        Assert.Contains(plan.Events, e => e.Type == EventIntent.Warning && e.Reason == reason);
        Assert.Equal(TimeSpan.FromSeconds(30), plan.RequeueAfter);
    }

    [Fact]
    public void An_unresolved_policy_generation_waits()
    {
        var plan = TrainingRunDecision.Decide(Observe(input: null));
        Assert.False(plan.EnsureJob);
        Assert.Equal(RunPhases.Pending, plan.Status.Phase);
        Assert.Equal(Reasons.ModelNotReady, Cond(plan, ConditionTypes.Running).Reason);
    }

    [Fact]
    public void A_config_the_trainer_would_refuse_fails_before_any_pod_starts()
    {
        var plan = TrainingRunDecision.Decide(Observe(configProblem: "spec: invalid config:\n  rewards[0].pattern: is required for the regex reward"));
        Assert.False(plan.EnsureJob);
        Assert.Equal(RunPhases.Failed, plan.Status.Phase);
        Assert.Equal(Reasons.InvalidSpec, Cond(plan, ConditionTypes.Failed).Reason);
        Assert.Contains("rewards[0].pattern", Cond(plan, ConditionTypes.Failed).Message);
    }

    [Fact]
    public void Last_transition_time_moves_only_when_a_condition_flips()
    {
        var first = TrainingRunDecision.Decide(Observe(Job(JobName, active: 1), progress: Halfway));
        var later = Now.AddMinutes(3);
        var again = TrainingRunDecision.Decide(Observe(Job(JobName, active: 1), status: first.Status, progress: Halfway with { Step = 90 }) with { Now = later });
        Assert.Equal(Now, Cond(again, ConditionTypes.Running).LastTransitionTime);
        Assert.Equal("training, step 90/120", Cond(again, ConditionTypes.Running).Message);
        Assert.Empty(again.Events);

        var done = TrainingRunDecision.Decide(Observe(Job(JobName, condition: "Complete"), status: again.Status) with { Now = later });
        Assert.Equal(later, Cond(done, ConditionTypes.Running).LastTransitionTime);
    }
}
