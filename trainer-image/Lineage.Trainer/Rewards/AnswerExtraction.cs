using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Rewards;

/// <summary>Finds the final answer in a completion: the text inside the last <c>&lt;answer&gt;…&lt;/answer&gt;</c>.</summary>
public static class AnswerExtraction
{
    /// <summary>Null when no closed answer block exists (e.g. the completion was cut off).</summary>
    public static string? LastAnswer(string completion)
    {
        int close = completion.LastIndexOf(ThinkFormat.AnswerClose, StringComparison.Ordinal);
        if (close < 0) return null;
        int open = completion.LastIndexOf(ThinkFormat.AnswerOpen, close, StringComparison.Ordinal);
        if (open < 0) return null;
        int start = open + ThinkFormat.AnswerOpen.Length;
        return completion[start..close];
    }
}
