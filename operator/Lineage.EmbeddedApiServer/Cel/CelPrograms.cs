using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Cel;

namespace Lineage.EmbeddedApiServer.Cel;

/// <summary>
/// Compiles CEL expressions with the <c>Cel</c> package, once per distinct text. One correction is made to
/// the package: its <c>has(x.f)</c> answers false for a field that is present but empty ("", {}, []), where
/// CEL and Kubernetes test presence; every <c>has(a.b.f)</c> is therefore compiled as <c>__present(a.b, 'f')</c>.
/// </summary>
internal static partial class CelPrograms
{
    private const string PresenceFunction = "__present";
    private static readonly CelEnvironment Environment = CreateEnvironment();
    private static readonly ConcurrentDictionary<string, CelProgramDelegate> Compiled = new(StringComparer.Ordinal);

    /// <summary>The program of an expression; throws <see cref="CelExpressionParserException"/> (or another CelException) when it does not compile.</summary>
    public static CelProgramDelegate Get(string expression) =>
        Compiled.GetOrAdd(expression, text => Environment.Compile(RewritePresenceTests(text)));

    /// <summary>Why an expression does not compile, or null when it does.</summary>
    public static string? CompileError(string expression)
    {
        try
        {
            Get(expression);
            return null;
        }
        catch (CelException error)
        {
            return error.Message;
        }
    }

    private static CelEnvironment CreateEnvironment()
    {
        var environment = new CelEnvironment(null, null);
        environment.RegisterFunction(PresenceFunction, [typeof(object), typeof(string)], args =>
            args[0] is IDictionary<string, object?> map && map.TryGetValue((string)args[1]!, out var value) && value is not null);
        return environment;
    }

    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*$")]
    private static partial Regex Selection();

    /// <summary>Rewrites <c>has(a.b.f)</c> outside string literals into the presence function.</summary>
    internal static string RewritePresenceTests(string expression)
    {
        var result = new StringBuilder(expression.Length);
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (c is '\'' or '"')
            {
                var end = StringLiteralEnd(expression, i);
                result.Append(expression, i, end - i);
                i = end;
                continue;
            }
            if (IsPresenceCall(expression, i) && MatchingParen(expression, i + 3) is { } close
                && Selection().Match(expression[(i + 4)..close]) is { Success: true } selection)
            {
                result.Append(PresenceFunction).Append('(').Append(RewritePresenceTests(selection.Groups[1].Value))
                    .Append(", '").Append(selection.Groups[2].Value).Append("')");
                i = close + 1;
                continue;
            }
            result.Append(c);
            i++;
        }
        return result.ToString();
    }

    private static bool IsPresenceCall(string text, int at) =>
        string.CompareOrdinal(text, at, "has(", 0, 4) == 0 && (at == 0 || !(char.IsLetterOrDigit(text[at - 1]) || text[at - 1] is '_' or '.'));

    private static int StringLiteralEnd(string text, int start)
    {
        var quote = text[start];
        var i = start + 1;
        while (i < text.Length && text[i] != quote) i += text[i] == '\\' ? 2 : 1;
        return Math.Min(i + 1, text.Length);
    }

    private static int? MatchingParen(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] is '\'' or '"')
            {
                i = StringLiteralEnd(text, i) - 1;
                continue;
            }
            if (text[i] == '(') depth++;
            else if (text[i] == ')' && --depth == 0) return i;
        }
        return null;
    }
}
