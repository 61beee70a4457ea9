using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Decisions;

namespace Lineage.Operator.Tests.Decisions;

public sealed class RunStatusPacingTests
{
    static readonly DateTime Now = new(2026, 12, 6, 10, 0, 0, DateTimeKind.Utc);

    static RunStatus Pending(long? step = null) => new()
    {
        Phase = RunPhases.Pending,
        ObservedGeneration = 1,
        JobName = "gen-1-train",
        Step = step,
        TotalSteps = step is null ? null : 10,
        Conditions = [new Condition { Type = ConditionTypes.Running, Status = "False", Reason = Reasons.JobPending, Message = $"Job gen-1-train has no running pod yet (step {step})" }],
    };

    [Fact]
    public void Progress_alone_waits_out_the_poll_interval_since_the_last_write()
    {
        var old = Pending();
        var next = Pending(step: 10) with { LastCheckpoint = "s3://m/ckpt/step-10", Metrics = new RunMetrics { RewardMean = 0.5 } };

        Assert.False(RunStatusPacing.MustWriteNow(old, next));
        Assert.Equal(TrainingRunDecision.ActivePoll - TimeSpan.FromSeconds(2), RunStatusPacing.Wait(old, next, Now - TimeSpan.FromSeconds(2), Now));
        Assert.Null(RunStatusPacing.Wait(old, next, Now - TrainingRunDecision.ActivePoll, Now));
        Assert.Null(RunStatusPacing.Wait(old, next, lastWrite: null, Now)); // not written by this process: at once
    }

    [Fact]
    public void A_phase_condition_or_job_change_is_written_at_once()
    {
        var old = Pending();
        var recent = Now - TimeSpan.FromSeconds(1);
        RunStatus[] urgent =
        [
            old with { Phase = RunPhases.Succeeded, Output = "s3://m/model" },
            old with { Phase = RunPhases.Running },
            old with { ObservedGeneration = 2 },
            old with { Restarts = 1 },
            old with { StartTime = Now },
            old with { Conditions = [new Condition { Type = ConditionTypes.Running, Status = "True", Reason = Reasons.JobRunning, Message = "training" }] },
        ];
        foreach (var next in urgent)
        {
            Assert.True(RunStatusPacing.MustWriteNow(old, next));
            Assert.Null(RunStatusPacing.Wait(old, next, recent, Now));
        }
        Assert.Null(RunStatusPacing.Wait(null, old, recent, Now));
    }
}
