using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lineage.Trainer.Distillation;

/// <summary>traces.jsonl: one <see cref="KeptTrace"/> per line, UTF-8, '\n' endings, fixed field order (the same traces give the same bytes).</summary>
public static class TraceFile
{
    public const string FileName = "traces.jsonl";

    static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Write(string path, IEnumerable<KeptTrace> traces)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".tmp";
        using (var writer = new StreamWriter(temp, append: false, new UTF8Encoding(false)) { NewLine = "\n" })
            foreach (var trace in traces) writer.WriteLine(JsonSerializer.Serialize(trace, Json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Every trace in the file; a line that is not a trace is an error naming the file and line.</summary>
    public static IReadOnlyList<KeptTrace> Read(string path)
    {
        var traces = new List<KeptTrace>();
        int line = 0;
        foreach (string text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            try
            {
                var trace = JsonSerializer.Deserialize<KeptTrace>(text, Json) ?? throw new JsonException("null");
                if (string.IsNullOrEmpty(trace.Prompt) || string.IsNullOrEmpty(trace.Answer)) throw new JsonException("prompt and answer are required");
                traces.Add(trace);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{line}: not a trace ({e.Message})");
            }
        }
        return traces;
    }
}
