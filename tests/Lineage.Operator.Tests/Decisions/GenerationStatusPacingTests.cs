using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Decisions;

namespace Lineage.Operator.Tests.Decisions;

public sealed class GenerationStatusPacingTests
{
    static readonly DateTime Now = new(2026, 12, 6, 15, 0, 0, DateTimeKind.Utc);
    static readonly DateTime Recent = Now - TimeSpan.FromSeconds(1);

    static Condition C(string type, bool status, string reason, string message = "") =>
        new() { Type = type, Status = status ? "True" : "False", Reason = reason, Message = message };

    static readonly Generation.GenerationStatus Training = new()
    {
        Phase = GenerationPhases.Training,
        ObservedGeneration = 1,
        Conditions = [C(ConditionTypes.ParentReady, true, Reasons.ParentPromoted), C(ConditionTypes.Trained, false, Reasons.TrainingRunning, "GrpoRun g is Pending: starting")],
    };

    static readonly Generation.GenerationStatus Evaluating = Training with
    {
        Phase = GenerationPhases.Evaluating,
        EvaluationJob = "g-eval",
        Checkpoint = new CheckpointRef { Uri = "file:///store/g/model" },
        Conditions = [C(ConditionTypes.ParentReady, true, Reasons.ParentPromoted), C(ConditionTypes.Trained, true, Reasons.TrainingSucceeded),
            C(ConditionTypes.Evaluated, false, Reasons.EvaluationRunning)],
    };

    [Fact]
    public void The_handoff_from_training_to_evaluation_waits_out_the_interval_since_the_last_write()
    {
        Assert.False(GenerationStatusPacing.MustWriteNow(Training, Evaluating, events: 0));
        Assert.Equal(GenerationStatusPacing.ProgressInterval - TimeSpan.FromSeconds(10),
            GenerationStatusPacing.Wait(Training, Evaluating, 0, lastWrite: Now - TimeSpan.FromSeconds(10), Now));
        Assert.Null(GenerationStatusPacing.Wait(Training, Evaluating, 0, lastWrite: Now - GenerationStatusPacing.ProgressInterval, Now));
        Assert.Null(GenerationStatusPacing.Wait(Training, Evaluating, 0, lastWrite: null, Now)); // not written by this process: no waiting after a restart
    }

    [Fact]
    public void A_run_progress_mirrored_in_the_Trained_message_waits_and_so_does_one_in_evaluation()
    {
        var progressed = Training with { Conditions = [Training.Conditions[0], C(ConditionTypes.Trained, false, Reasons.TrainingRunning, "GrpoRun g is Running: step 4/8")] };
        Assert.NotNull(GenerationStatusPacing.Wait(Training, progressed, 0, Recent, Now));
        var sha = Evaluating with { Checkpoint = Evaluating.Checkpoint! with { Sha256 = "ab" } };
        Assert.NotNull(GenerationStatusPacing.Wait(Evaluating, sha, 0, Recent, Now));
    }

    [Fact]
    public void First_status_verdicts_failures_other_phases_conditions_users_act_on_and_Events_are_written_at_once()
    {
        Generation.GenerationStatus[] fromEvaluating =
        [
            Evaluating with { Phase = GenerationPhases.Promoted },
            Evaluating with { Phase = GenerationPhases.Rejected },
            Evaluating with { Phase = GenerationPhases.Failed },
            Evaluating with { ObservedGeneration = 2 },
            Evaluating with { Conditions = [.. Evaluating.Conditions, C(ConditionTypes.Promoted, false, Reasons.AwaitingApproval)] },
        ];
        foreach (var next in fromEvaluating) Assert.Null(GenerationStatusPacing.Wait(Evaluating, next, 0, Recent, Now));

        Generation.GenerationStatus[] fromTraining =
        [
            Evaluating with { Phase = GenerationPhases.Failed },
            Training with { Phase = GenerationPhases.Pending },
            Training with { Conditions = [.. Training.Conditions, C(ConditionTypes.JudgeQualified, false, Reasons.JudgeNotBetterThanRandom)] },
            Training with { Conditions = [C(ConditionTypes.ParentReady, false, Reasons.ParentNotPromoted), Training.Conditions[1]] },
        ];
        foreach (var next in fromTraining) Assert.Null(GenerationStatusPacing.Wait(Training, next, 0, Recent, Now));

        Assert.Null(GenerationStatusPacing.Wait(null, Training, 0, Recent, Now));
        Assert.Null(GenerationStatusPacing.Wait(new Generation.GenerationStatus(), Evaluating, 0, Recent, Now)); // an untrained generation's first phase
        Assert.Null(GenerationStatusPacing.Wait(Training with { Phase = GenerationPhases.Pending }, Training, 0, Recent, Now)); // a wait for its Secret ends
        Assert.Null(GenerationStatusPacing.Wait(Training, Evaluating, events: 1, Recent, Now));
    }
}
