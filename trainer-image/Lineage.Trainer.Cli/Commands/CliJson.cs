using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>JSON for people and pipes: completions keep their '+' and '&lt;think&gt;' readable.</summary>
static class CliJson
{
    public static readonly JsonSerializerOptions Line = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    public static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };
}
