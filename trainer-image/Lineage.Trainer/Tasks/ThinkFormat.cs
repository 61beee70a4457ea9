using System.Text.RegularExpressions;

namespace Lineage.Trainer.Tasks;

/// <summary>
/// The completion shape every task trains and is judged on, <c>&lt;think&gt;reasoning&lt;/think&gt;&lt;answer&gt;final&lt;/answer&gt;</c>:
/// the one place that writes it, reads the final answer back and checks the shape. Training targets, rewards, the
/// verifier, majority vote, the judge's critique and self-refinement all go through here, so they cannot disagree.
/// </summary>
public static partial class ThinkFormat
{
    public const string ThinkOpen = "<think>";
    public const string ThinkClose = "</think>";
    public const string AnswerOpen = "<answer>";
    public const string AnswerClose = "</answer>";

    /// <summary>End-of-sequence texts of the tokenizers we load, in case a sampler keeps them in the decoded text.</summary>
    public static readonly IReadOnlyList<string> DefaultEndMarkers = ["<|endoftext|>", "<|im_end|>", "<|eot_id|>", "</s>", "<eos>"];

    static readonly string[] Tags = [ThinkOpen, ThinkClose, AnswerOpen, AnswerClose];

    /// <summary>The completion text without eos (a prompt format adds the tokenizer's end of turn); no reasoning gives an empty think block.</summary>
    public static string Render(string? reasoning, string answer) =>
        $"{ThinkOpen}{reasoning}{ThinkClose}{AnswerOpen}{answer}{AnswerClose}";

    /// <summary>
    /// The final answer: the text of the <em>last</em> closed <c>&lt;answer&gt;…&lt;/answer&gt;</c>, trimmed. Null when there
    /// is none (e.g. cut off by the token budget) or it is blank. The last one, because a completion ends on its final
    /// word: a model that tries an answer inside its reasoning, or a transcript of attempts and revisions, is judged by
    /// the answer it ends with.
    /// </summary>
    public static string? FinalAnswer(string completion)
    {
        int close = completion.LastIndexOf(AnswerClose, StringComparison.Ordinal);
        if (close < 0) return null;
        int open = completion.LastIndexOf(AnswerOpen, close, StringComparison.Ordinal);
        if (open < 0) return null;
        string answer = completion[(open + AnswerOpen.Length)..close].Trim();
        return answer.Length == 0 ? null : answer;
    }

    /// <summary>
    /// Exactly one <c>&lt;think&gt;…&lt;/think&gt;</c>, then exactly one non-empty <c>&lt;answer&gt;…&lt;/answer&gt;</c>; whitespace may
    /// surround them and one end-of-sequence text (<paramref name="endMarkers"/>, default <see cref="DefaultEndMarkers"/>)
    /// may follow, nothing else. What the format reward, the format rate and the trace filters count.
    /// </summary>
    public static bool IsWellFormed(string completion, IReadOnlyList<string>? endMarkers = null) =>
        TryParse(completion, out _, out _, endMarkers);

    /// <summary>The reasoning and answer of a well-formed completion (answer trimmed); false when it is not well-formed.</summary>
    public static bool TryParse(string completion, out string reasoning, out string answer, IReadOnlyList<string>? endMarkers = null)
    {
        reasoning = answer = "";
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
        string think = match.Groups["think"].Value, final = match.Groups["answer"].Value;
        if (final.Trim().Length == 0 || Tags.Any(tag => think.Contains(tag, StringComparison.Ordinal) || final.Contains(tag, StringComparison.Ordinal)))
            return false;
        (reasoning, answer) = (think, final.Trim());
        return true;
    }

    [GeneratedRegex(@"^\s*<think>(?<think>.*)</think>\s*<answer>(?<answer>.*)</answer>$", RegexOptions.Singleline)]
    private static partial Regex Shape();
}
