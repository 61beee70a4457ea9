using System.Text.Json;
using Lineage.Contracts.Config;

namespace Lineage.Trainer.Tasks;

/// <summary>
/// Reads problems from JSONL with configurable field names. Optional fields: <c>id</c> (default file:line),
/// <c>task</c> (default "jsonl"), and <c>numbers</c> + <c>target</c> for countdown verification.
/// A line without a usable prompt or answer is an error naming the file and line: a silently shorter
/// dataset would skew every metric computed on it. Blank lines are skipped.
/// </summary>
public static class JsonlProblemReader
{
    public const string DefaultTask = "jsonl";

    public static IReadOnlyList<Problem> Read(string file, DataConfig data)
    {
        var problems = new List<Problem>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(file))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (data.Count > 0 && problems.Count == data.Count) break;
            problems.Add(Parse(line, data, $"{file}:{lineNumber}", Path.GetFileName(file) + ":" + lineNumber));
        }
        return problems;
    }

    static Problem Parse(string line, DataConfig data, string where, string defaultId)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(line); }
        catch (JsonException e) { throw new InvalidDataException($"{where}: not valid JSON ({e.Message})"); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where}: expected a JSON object");
            string prompt = Text(root, data.PromptField, where)
                ?? throw new InvalidDataException($"{where}: missing prompt field '{data.PromptField}'");
            string answerText = Text(root, data.AnswerField, where)
                ?? throw new InvalidDataException($"{where}: missing answer field '{data.AnswerField}'");
            string? reasoning = Text(root, data.ReasoningField, where);
            string answer = answerText.Trim();
            if (data.AnswerFormat == "gsm8k")
            {
                if (!Gsm8kAnswer.TryParse(answerText, out answer, out string worked))
                    throw new InvalidDataException($"{where}: answer field '{data.AnswerField}' has no '#### <answer>' (answerFormat gsm8k)");
                reasoning = worked;
            }
            if (answer.Length == 0) throw new InvalidDataException($"{where}: answer field '{data.AnswerField}' is empty");
            var (numbers, target) = Countdown(root, where);
            return new Problem(
                Text(root, "id", where) ?? defaultId,
                Text(root, "task", where) ?? DefaultTask,
                prompt, answer, reasoning, numbers, target);
        }
    }

    /// <summary>A string, or a number's JSON text (answers like 72 are often written unquoted); null when absent.</summary>
    static string? Text(JsonElement root, string field, string where)
    {
        if (!root.TryGetProperty(field, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw new InvalidDataException($"{where}: field '{field}' must be a string or number (got {value.ValueKind})"),
        };
    }

    static (IReadOnlyList<int>?, int?) Countdown(JsonElement root, string where)
    {
        bool hasNumbers = root.TryGetProperty("numbers", out var numbers);
        bool hasTarget = root.TryGetProperty("target", out var target);
        if (!hasNumbers && !hasTarget) return (null, null);
        if (!hasNumbers || !hasTarget) throw new InvalidDataException($"{where}: countdown needs both 'numbers' and 'target'");
        if (numbers.ValueKind != JsonValueKind.Array || numbers.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.Number || !n.TryGetInt32(out _)))
            throw new InvalidDataException($"{where}: field 'numbers' must be an array of integers");
        if (target.ValueKind != JsonValueKind.Number || !target.TryGetInt32(out int targetValue))
            throw new InvalidDataException($"{where}: field 'target' must be an integer");
        return (numbers.EnumerateArray().Select(n => n.GetInt32()).ToArray(), targetValue);
    }
}
