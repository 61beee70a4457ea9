using System.Text.RegularExpressions;

namespace Lineage.Trainer.Rewards;

/// <summary>
/// Canonical text of an answer. Numbers: commas, spaces and underscores removed, no leading '+',
/// no leading zeros, no trailing fractional zeros ("+1,200.50" → "1200.5", "7.0" → "7", "-0" → "0").
/// Anything else: trimmed with inner whitespace collapsed to one space.
/// </summary>
public static partial class AnswerNormalizer
{
    public static string Normalize(string answer)
    {
        string trimmed = answer.Trim();
        var number = Number().Match(Separators().Replace(trimmed, ""));
        if (!number.Success) return Whitespace().Replace(trimmed, " ");
        string integer = number.Groups["int"].Value.TrimStart('0');
        string fraction = number.Groups["frac"].Value.TrimEnd('0');
        if (integer.Length == 0) integer = "0";
        string magnitude = fraction.Length > 0 ? $"{integer}.{fraction}" : integer;
        bool negative = number.Groups["sign"].Value == "-" && magnitude != "0";
        return negative ? "-" + magnitude : magnitude;
    }

    /// <summary>True when <see cref="Normalize"/> produced a number with no fractional part.</summary>
    public static bool IsInteger(string normalized) => IntegerPattern().IsMatch(normalized);

    [GeneratedRegex(@"^(?<sign>[+-]?)(?<int>\d+)(?:\.(?<frac>\d*))?$")]
    private static partial Regex Number();

    [GeneratedRegex(@"^-?\d+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"[,\s_]")]
    private static partial Regex Separators();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
