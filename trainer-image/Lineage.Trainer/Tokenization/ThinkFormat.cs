using System.Text.RegularExpressions;

namespace Lineage.Trainer.Tokenization;

/// <summary>
/// The completion every task trains on: <c>&lt;think&gt;reasoning&lt;/think&gt;&lt;answer&gt;final&lt;/answer&gt;</c>
/// followed by the eos token, and the parse back of the final answer from generated text.
/// </summary>
public static partial class ThinkFormat
{
    public const string ThinkOpen = "<think>";
    public const string ThinkClose = "</think>";
    public const string AnswerOpen = "<answer>";
    public const string AnswerClose = "</answer>";

    /// <summary>The completion text, without eos (the prompt format adds the tokenizer's eos).</summary>
    public static string Completion(string? reasoning, string answer) =>
        $"{ThinkOpen}{reasoning ?? ""}{ThinkClose}{AnswerOpen}{answer}{AnswerClose}";

    /// <summary>The text between the first &lt;answer&gt; and its &lt;/answer&gt;, trimmed; null when the completion has none.</summary>
    public static string? ExtractAnswer(string completion)
    {
        var match = AnswerPattern().Match(completion);
        return match.Success ? match.Groups[1].Value.Trim() : null;
    }

    /// <summary>Reasoning closed, then one complete answer: what the format reward and the answer-format rate count.</summary>
    public static bool IsWellFormed(string completion) => WellFormedPattern().IsMatch(completion);

    [GeneratedRegex(@"<answer>(.*?)</answer>", RegexOptions.Singleline)]
    private static partial Regex AnswerPattern();

    [GeneratedRegex(@"^\s*<think>.*?</think>\s*<answer>.*?</answer>", RegexOptions.Singleline)]
    private static partial Regex WellFormedPattern();
}
