using System.Text.Encodings.Web;
using System.Text.Json;
using Lineage.Contracts.Config;

namespace Lineage.Trainer.Tasks;

/// <summary>The one way problems enter training and eval: a built-in task or a JSONL file.</summary>
public static class ProblemSet
{
    /// <summary>
    /// Validates <paramref name="data"/>, then generates or reads (a relative path resolves against <paramref name="baseDir"/>),
    /// then turns <see cref="DataConfig.RefineShare"/> of the rows into self-refine demonstrations.
    /// </summary>
    public static IReadOnlyList<Problem> Load(DataConfig data, string? baseDir = null)
    {
        var validation = new Validation();
        data.Validate(validation, "data.");
        validation.ThrowIfAny("data");
        var problems = !string.IsNullOrEmpty(data.Task)
            ? GeneratedProblems.Draw(GeneratedProblems.GeneratorFor(data), data.Split, data.Count, data.Seed)
            : ReadFile(data, baseDir);
        return TestTime.RefineDemonstrations.Mix(problems, data.RefineShare, data.Seed);
    }

    static IReadOnlyList<Problem> ReadFile(DataConfig data, string? baseDir)
    {
        string path = data.Path!;
        if (path.Contains("://", StringComparison.Ordinal))
            throw new ConfigError($"data.path: '{path}' is a store URI; fetch it to a local file first (ProblemSet reads local JSONL)");
        string file = System.IO.Path.GetFullPath(path, baseDir ?? Directory.GetCurrentDirectory());
        if (!File.Exists(file)) throw new ConfigError($"data.path: file not found: {file}");
        return JsonlProblemReader.Read(file, data);
    }

    /// <summary>
    /// One JSON object per line: id, task, prompt, answer, reasoning (when present), numbers and target (countdown).
    /// Fixed field order, UTF-8 without BOM, '\n' endings: the same problems always give the same bytes.
    /// </summary>
    public static void WriteJsonl(string path, IEnumerable<Problem> problems)
    {
        string? directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        using var stream = File.Create(path);
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var newline = "\n"u8.ToArray();
        foreach (var problem in problems)
        {
            using (var writer = new Utf8JsonWriter(stream, options)) Write(writer, problem);
            stream.Write(newline);
        }
    }

    static void Write(Utf8JsonWriter writer, Problem problem)
    {
        writer.WriteStartObject();
        writer.WriteString("id", problem.Id);
        writer.WriteString("task", problem.Task);
        writer.WriteString("prompt", problem.Prompt);
        writer.WriteString("answer", problem.Answer);
        if (problem.Reasoning is not null) writer.WriteString("reasoning", problem.Reasoning);
        if (problem.IsCountdown)
        {
            writer.WriteStartArray("numbers");
            foreach (int number in problem.Numbers!) writer.WriteNumberValue(number);
            writer.WriteEndArray();
            writer.WriteNumber("target", problem.Target!.Value);
        }
        writer.WriteEndObject();
    }
}
