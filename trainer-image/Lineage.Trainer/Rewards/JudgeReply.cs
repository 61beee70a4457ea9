using System.Globalization;
using System.Text.RegularExpressions;

namespace Lineage.Trainer.Rewards;

/// <summary>
/// Parses a judge's reply. The fixed form is a critique, then a score:
/// <c>&lt;critique&gt;…&lt;/critique&gt;&lt;score&gt;7&lt;/score&gt;</c>, or the think format every model
/// here is trained to write, <c>&lt;think&gt;critique&lt;/think&gt;&lt;answer&gt;7&lt;/answer&gt;</c>
/// (what <c>tasks --judgments</c> + <c>sft</c> teach a small judge). The last score block counts;
/// "7", "7.5" and "7/10" (when 10 is the scale) are numbers. Never throws: a reply that does not
/// parse is a verdict with a status, scored 0 by the caller and counted.
/// </summary>
public static partial class JudgeReply
{
    public static JudgeVerdict Parse(string reply, int maxScore)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxScore);
        string? critique = LastBlock(CritiquePattern(), reply) ?? LastBlock(ThinkPattern(), reply);
        string? scoreText = LastBlock(ScorePattern(), reply) ?? LastBlock(AnswerPattern(), reply);
        if (scoreText is null) return new JudgeVerdict(JudgeReplyStatus.MissingScore, null, critique, maxScore);
        if (!TryNumber(scoreText.Trim(), maxScore, out double score)) return new JudgeVerdict(JudgeReplyStatus.NotANumber, null, critique, maxScore);
        if (score < 0 || score > maxScore) return new JudgeVerdict(JudgeReplyStatus.OutOfRange, score, critique, maxScore);
        return new JudgeVerdict(JudgeReplyStatus.Scored, score, critique, maxScore);
    }

    static bool TryNumber(string text, int maxScore, out double score)
    {
        int slash = text.IndexOf('/');
        if (slash >= 0)
        {
            if (text[(slash + 1)..].Trim() != maxScore.ToString(CultureInfo.InvariantCulture)) { score = 0; return false; }
            text = text[..slash].Trim();
        }
        return double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out score)
            && double.IsFinite(score);
    }

    static string? LastBlock(Regex pattern, string text)
    {
        var matches = pattern.Matches(text);
        return matches.Count == 0 ? null : matches[^1].Groups[1].Value;
    }

    [GeneratedRegex(@"<score>(.*?)</score>", RegexOptions.Singleline)]
    private static partial Regex ScorePattern();

    [GeneratedRegex(@"<answer>(.*?)</answer>", RegexOptions.Singleline)]
    private static partial Regex AnswerPattern();

    [GeneratedRegex(@"<critique>(.*?)</critique>", RegexOptions.Singleline)]
    private static partial Regex CritiquePattern();

    [GeneratedRegex(@"<think>(.*?)</think>", RegexOptions.Singleline)]
    private static partial Regex ThinkPattern();
}
