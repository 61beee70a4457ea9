using Lineage.Trainer.Runs;

namespace Lineage.Trainer.Tests.Runs;

public sealed class TextChartTests
{
    [Fact]
    public void A_rising_curve_fills_more_rows_on_the_right_and_labels_its_range()
    {
        var chart = TextChart.Render([0.0, 0.25, 0.5, 1.0], width: 4, height: 4).Split('\n');
        Assert.Equal("1.00 |   █", chart[0]);
        Assert.Equal("0.00 | ███", chart[3]);
        Assert.Equal("     +----", chart[4]);
        Assert.EndsWith("step 1 .. 4", chart[5]);
    }

    [Fact]
    public void Many_steps_are_averaged_into_at_most_width_columns()
    {
        var chart = TextChart.Render(Enumerable.Range(0, 100).Select(i => i / 100.0).ToList(), width: 10, height: 3);
        Assert.All(chart.Split('\n').Take(3), line => Assert.Equal(10, line.Length - line.IndexOf('|') - 1));
    }
}
