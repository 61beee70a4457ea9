using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lineage.Trainer.Preferences;

/// <summary>
/// Preference pairs as JSONL: one object per line with string fields <c>prompt</c>, <c>chosen</c>,
/// <c>rejected</c> (and optional <c>id</c>). A bad line is an error naming the file, the line and the
/// field: a silently shorter preference set would skew the accuracy computed on it. Blank lines are skipped.
/// </summary>
public static class PreferencePairFile
{
    public static IReadOnlyList<PreferencePair> Read(string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"{file}: preference pairs file not found", file);
        var pairs = new List<PreferencePair>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(file))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            pairs.Add(Parse(line, $"{file}:{lineNumber}", $"{Path.GetFileName(file)}:{lineNumber}"));
        }
        if (pairs.Count == 0) throw new InvalidDataException($"{file}: no preference pairs");
        return pairs;
    }

    public static PreferencePair Parse(string line, string where, string defaultId)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(line); }
        catch (JsonException e) { throw new InvalidDataException($"{where}: not valid JSON ({e.Message})"); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where}: expected a JSON object with prompt, chosen, rejected");
            string prompt = Required(root, "prompt", where);
            string chosen = Required(root, "chosen", where);
            string rejected = Required(root, "rejected", where);
            if (chosen.Length == 0) throw new InvalidDataException($"{where}: field 'chosen' is empty");
            if (chosen == rejected) throw new InvalidDataException($"{where}: fields 'chosen' and 'rejected' are identical, so the pair prefers nothing");
            string? id = root.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
            return new PreferencePair(prompt, chosen, rejected, id ?? defaultId);
        }
    }

    static string Required(JsonElement root, string field, string where)
    {
        if (!root.TryGetProperty(field, out var value)) throw new InvalidDataException($"{where}: missing field '{field}'");
        if (value.ValueKind != JsonValueKind.String) throw new InvalidDataException($"{where}: field '{field}' must be a string (got {value.ValueKind})");
        return value.GetString()!;
    }

    /// <summary>Fixed field order, UTF-8, '\n' endings: the same pairs always give the same bytes.</summary>
    public static void Write(string path, IEnumerable<PreferencePair> pairs)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        using var stream = File.Create(path);
        Write(stream, pairs);
    }

    public static void Write(Stream stream, IEnumerable<PreferencePair> pairs)
    {
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var newline = "\n"u8.ToArray();
        foreach (var pair in pairs)
        {
            using (var writer = new Utf8JsonWriter(stream, options))
            {
                writer.WriteStartObject();
                if (pair.Id is not null) writer.WriteString("id", pair.Id);
                writer.WriteString("prompt", pair.Prompt);
                writer.WriteString("chosen", pair.Chosen);
                writer.WriteString("rejected", pair.Rejected);
                writer.WriteEndObject();
            }
            stream.Write(newline);
        }
    }
}
