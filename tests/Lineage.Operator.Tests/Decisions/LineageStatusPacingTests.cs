using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Decisions;

namespace Lineage.Operator.Tests.Decisions;

public sealed class LineageStatusPacingTests
{
    static readonly DateTime Now = new(2026, 12, 6, 7, 0, 0, DateTimeKind.Utc);

    static LineageResource.LineageStatus Growing(params (string Name, string Result)[] history) => new()
    {
        Phase = LineagePhases.Growing,
        ObservedGeneration = 1,
        Generations = history.Length,
        Champion = new Champion { Name = "math-0", Score = 0.3 },
        Conditions = [new Condition { Type = ConditionTypes.Growing, Status = "True", Reason = Reasons.GenerationInFlight, Message = $"{history[^1].Name} is {history[^1].Result}" }],
        History = [.. history.Select(h => new LineageHistoryEntry { Name = h.Name, Step = "grpo", Result = h.Result })],
    };

    [Fact]
    public void Progress_of_a_generation_in_flight_waits_out_the_interval_since_the_last_write()
    {
        var old = Growing(("math-0", GenerationPhases.Promoted), ("math-1", GenerationPhases.Pending));
        var next = Growing(("math-0", GenerationPhases.Promoted), ("math-1", GenerationPhases.Training));

        Assert.False(LineageStatusPacing.MustWriteNow(old, next, events: 0));
        Assert.Equal(LineageStatusPacing.ProgressInterval - TimeSpan.FromSeconds(10),
            LineageStatusPacing.Wait(old, next, 0, lastWrite: Now - TimeSpan.FromSeconds(10), Now));
        Assert.Null(LineageStatusPacing.Wait(old, next, 0, lastWrite: Now - LineageStatusPacing.ProgressInterval, Now));
        Assert.Null(LineageStatusPacing.Wait(old, next, 0, lastWrite: null, Now)); // this process never wrote it: no waiting after a restart
    }

    [Fact]
    public void Verdicts_births_phase_and_champion_changes_and_anything_with_an_Event_are_written_at_once()
    {
        var old = Growing(("math-0", GenerationPhases.Promoted), ("math-1", GenerationPhases.Evaluating));
        var recent = Now - TimeSpan.FromSeconds(1);
        LineageResource.LineageStatus[] urgent =
        [
            Growing(("math-0", GenerationPhases.Promoted), ("math-1", GenerationPhases.Rejected)),                    // a verdict
            Growing(("math-0", GenerationPhases.Promoted), ("math-1", GenerationPhases.Evaluating), ("math-2", GenerationPhases.Pending)), // a birth
            old with { Phase = LineagePhases.Complete },
            old with { Champion = new Champion { Name = "math-1", Score = 0.36 } },
            old with { ObservedGeneration = 2 },
            old with { Conditions = [old.Conditions[0] with { Status = "False", Reason = Reasons.MaxGenerationsReached }] },
        ];
        foreach (var next in urgent) Assert.Null(LineageStatusPacing.Wait(old, next, 0, recent, Now));
        Assert.Null(LineageStatusPacing.Wait(old, old with { Conditions = [old.Conditions[0] with { Message = "changed" }] }, events: 1, recent, Now));
        Assert.Null(LineageStatusPacing.Wait(null, old, 0, recent, Now));
    }
}
