using System.Text;

namespace Lineage.Trainer.Runs;

/// <summary>A curve as a few lines of text (the demo's reward curve): steps bucketed into columns, '█' up to each bucket's mean.</summary>
public static class TextChart
{
    public static string Render(IReadOnlyList<double> values, int width = 40, int height = 8, string format = "F2")
    {
        if (values.Count == 0) return "(no data)";
        int columns = Math.Min(width, values.Count);
        var means = Enumerable.Range(0, columns).Select(c =>
        {
            int from = c * values.Count / columns, to = Math.Max(from + 1, (c + 1) * values.Count / columns);
            return values.Skip(from).Take(to - from).Average();
        }).ToArray();
        double low = Math.Min(0, means.Min()), high = Math.Max(means.Max(), low + 1e-9);
        string top = high.ToString(format), bottom = low.ToString(format);
        int label = Math.Max(top.Length, bottom.Length);
        var text = new StringBuilder();
        for (int row = height; row >= 1; row--)
        {
            double threshold = low + (high - low) * (row - 0.5) / height;
            string axis = row == height ? top : row == 1 ? bottom : "";
            text.Append(axis.PadLeft(label)).Append(" |");
            foreach (double m in means) text.Append(m >= threshold ? '█' : ' ');
            text.Append('\n');
        }
        text.Append(new string(' ', label)).Append(" +").Append(new string('-', columns)).Append('\n');
        text.Append(new string(' ', label + 2)).Append($"step 1 .. {values.Count}");
        return text.ToString();
    }
}
