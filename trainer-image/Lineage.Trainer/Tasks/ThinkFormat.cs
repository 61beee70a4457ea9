namespace Lineage.Trainer.Tasks;

/// <summary>The completion shape every task trains and is judged on: reasoning, then the final answer.</summary>
public static class ThinkFormat
{
    public const string ThinkOpen = "<think>";
    public const string ThinkClose = "</think>";
    public const string AnswerOpen = "<answer>";
    public const string AnswerClose = "</answer>";

    /// <summary><c>&lt;think&gt;{reasoning}&lt;/think&gt;&lt;answer&gt;{answer}&lt;/answer&gt;</c>; no reasoning gives an empty think block.</summary>
    public static string Render(string? reasoning, string answer) =>
        $"{ThinkOpen}{reasoning}{ThinkClose}{AnswerOpen}{answer}{AnswerClose}";
}
