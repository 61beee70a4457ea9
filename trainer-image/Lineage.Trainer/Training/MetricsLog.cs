using System.Text.Json;

namespace Lineage.Trainer.Training;

/// <summary>Metrics as JSON lines (one object per logged step), appended to a file and/or a writer.</summary>
public sealed class MetricsLog(TextWriter? console, string? path) : IDisposable
{
    readonly StreamWriter? file = path is null ? null : OpenAppend(path);

    static StreamWriter OpenAppend(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new StreamWriter(path, append: true) { AutoFlush = true };
    }

    public void Write(string kind, IReadOnlyDictionary<string, double> values, long step)
    {
        var record = new Dictionary<string, object> { ["kind"] = kind, ["step"] = step, ["time"] = DateTimeOffset.UtcNow.ToString("O") };
        foreach (var (k, v) in values) record[k] = double.IsFinite(v) ? Math.Round(v, 6) : v.ToString();
        var line = JsonSerializer.Serialize(record);
        console?.WriteLine(line);
        file?.WriteLine(line);
    }

    public static IReadOnlyDictionary<string, double> Of(StepMetrics m) => new Dictionary<string, double>(m.Extra)
    {
        ["loss"] = m.Loss,
        ["lr"] = m.LearningRate,
        ["gradNorm"] = m.GradNorm,
        ["tokensPerSecond"] = m.TokensPerSecond,
        ["seconds"] = m.Seconds,
    };

    public void Dispose() => file?.Dispose();
}
