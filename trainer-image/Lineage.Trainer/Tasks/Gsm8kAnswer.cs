using System.Text.RegularExpressions;

namespace Lineage.Trainer.Tasks;

/// <summary>GSM8K's answer field: worked solution, then <c>#### 72</c>. Calculator notes <c>&lt;&lt;48/2=24&gt;&gt;</c> are dropped.</summary>
public static partial class Gsm8kAnswer
{
    const string Marker = "####";

    /// <summary>False when the text has no <c>####</c> or nothing after it.</summary>
    public static bool TryParse(string text, out string answer, out string reasoning)
    {
        answer = reasoning = "";
        int marker = text.LastIndexOf(Marker, StringComparison.Ordinal);
        if (marker < 0) return false;
        answer = text[(marker + Marker.Length)..].Trim().Replace(",", "");
        reasoning = CalculatorNote().Replace(text[..marker], "").Trim();
        return answer.Length > 0;
    }

    [GeneratedRegex("<<[^<>]*>>")]
    private static partial Regex CalculatorNote();
}
