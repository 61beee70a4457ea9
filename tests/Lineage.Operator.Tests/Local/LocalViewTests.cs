using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Local;
using Spectre.Console.Testing;

namespace Lineage.Operator.Tests.Local;

public sealed class LocalViewTests
{
    static readonly DateTime T0 = new(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc);

    static GenerationRow Row(string name, string step, string phase, double? score, double? parent) =>
        new("demo", "math", name, step, phase, null, null, score, parent, null, T0, GenerationPhases.IsFinal(phase) ? T0.AddMinutes(3) : null);

    [Fact]
    public void The_summary_shows_each_generation_and_a_chart_of_the_scored_ones()
    {
        var console = new TestConsole().Width(120);
        console.Write(LocalView.Summary([new LineageRow("demo", "math", LineagePhases.Complete, "math-2", 0.81,
            [Row("math-0", "base", GenerationPhases.Promoted, 0.67, null), Row("math-1", "grpo", GenerationPhases.Rejected, 0.66, 0.67), Row("math-2", "distill", GenerationPhases.Promoted, 0.81, 0.67)])]));
        var text = console.Output;
        Assert.Contains("math-1", text);
        Assert.Contains("+14.0", text);
        Assert.Contains("score by generation", text);
        Assert.Contains("champion math-2 81.0%; 2 promoted of 3", text);
    }

    [Fact]
    public void A_lineage_whose_generation_failed_before_any_score_still_gets_a_summary()
    {
        var console = new TestConsole().Width(120);
        console.Write(LocalView.Summary([new LineageRow("demo", "math", LineagePhases.Failed, null, null, [Row("math-0", "base", GenerationPhases.Failed, null, null)])]));
        Assert.Contains("champion none", console.Output);
        Assert.DoesNotContain("score by generation", console.Output);
    }
}
