using System.Text.RegularExpressions;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Rewards;

/// <summary>
/// The think format: exactly one <c>&lt;think&gt;…&lt;/think&gt;</c>, then exactly one non-empty
/// <c>&lt;answer&gt;…&lt;/answer&gt;</c>; whitespace may surround them and an end-of-sequence marker may
/// follow, nothing else.
/// </summary>
public static partial class FormatCheck
{
    /// <summary>End-of-sequence texts of the tokenizers we load, in case a sampler keeps them in the decoded text.</summary>
    public static readonly IReadOnlyList<string> DefaultEndMarkers = ["<|endoftext|>", "<|im_end|>", "<|eot_id|>", "</s>", "<eos>"];

    static readonly string[] Tags = [ThinkFormat.ThinkOpen, ThinkFormat.ThinkClose, ThinkFormat.AnswerOpen, ThinkFormat.AnswerClose];

    public static bool IsWellFormed(string completion, IReadOnlyList<string>? endMarkers = null)
    {
        string text = completion.TrimEnd();
        foreach (string marker in endMarkers ?? DefaultEndMarkers)
        {
            if (marker.Length > 0 && text.EndsWith(marker, StringComparison.Ordinal))
            {
                text = text[..^marker.Length].TrimEnd();
                break;
            }
        }
        var match = Shape().Match(text);
        if (!match.Success) return false;
        string think = match.Groups["think"].Value, answer = match.Groups["answer"].Value;
        return answer.Trim().Length > 0 && !Tags.Any(tag => think.Contains(tag, StringComparison.Ordinal) || answer.Contains(tag, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^\s*<think>(?<think>.*)</think>\s*<answer>(?<answer>.*)</answer>$", RegexOptions.Singleline)]
    private static partial Regex Shape();
}
