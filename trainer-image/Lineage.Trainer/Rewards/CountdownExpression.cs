using System.Numerics;

namespace Lineage.Trainer.Rewards;

/// <summary>
/// A small, safe parser for countdown answers: non-negative integer literals, + - * / (also − × ÷),
/// parentheses and spaces; no unary minus, no other characters. Evaluated exactly with fractions, so
/// intermediate non-integer values are allowed only if the whole expression lands exactly on the target.
/// </summary>
public static class CountdownExpression
{
    const int MaxLength = 256;
    const int MaxDepth = 32;
    const int MaxLiteralDigits = 12;

    /// <summary>True when the expression parses, uses each given number at most as often as given, and equals the target exactly.</summary>
    public static bool Solves(string expression, IReadOnlyList<int> numbers, int target)
    {
        if (!TryEvaluate(expression, out var value, out var literals)) return false;
        if (!value.EqualsInteger(target)) return false;
        var available = numbers.GroupBy(n => (BigInteger)n).ToDictionary(g => g.Key, g => g.Count());
        foreach (var literal in literals)
        {
            if (!available.TryGetValue(literal, out int left) || left == 0) return false;
            available[literal] = left - 1;
        }
        return true;
    }

    /// <summary>False on a syntax error, division by zero or an expression too long or deep to be an answer.</summary>
    internal static bool TryEvaluate(string expression, out Fraction value, out List<BigInteger> literals)
    {
        literals = [];
        value = default;
        if (expression.Length > MaxLength) return false;
        var parser = new Parser(expression, literals);
        return parser.TryParseAll(out value);
    }

    sealed class Parser(string text, List<BigInteger> literals)
    {
        int _position;
        int _depth;

        public bool TryParseAll(out Fraction value) => TryExpression(out value) && Peek() == '\0' && _position == text.Length;

        // expression := term (('+' | '-') term)*
        bool TryExpression(out Fraction value)
        {
            if (!TryTerm(out value)) return false;
            while (Peek() is '+' or '-' or '−')
            {
                char op = Take();
                if (!TryTerm(out var right)) return false;
                value = op == '+' ? value + right : value - right;
            }
            return true;
        }

        // term := factor (('*' | '/') factor)*
        bool TryTerm(out Fraction value)
        {
            if (!TryFactor(out value)) return false;
            while (Peek() is '*' or '×' or '/' or '÷')
            {
                char op = Take();
                if (!TryFactor(out var right)) return false;
                if (op is '/' or '÷')
                {
                    if (right.IsZero) return false;
                    value /= right;
                }
                else value *= right;
            }
            return true;
        }

        // factor := integer | '(' expression ')'
        bool TryFactor(out Fraction value)
        {
            value = default;
            char next = Peek();
            if (next == '(')
            {
                if (++_depth > MaxDepth) return false;
                Take();
                if (!TryExpression(out value) || Peek() != ')') return false;
                Take();
                _depth--;
                return true;
            }
            if (!char.IsAsciiDigit(next)) return false;
            int start = _position;
            while (_position < text.Length && char.IsAsciiDigit(text[_position])) _position++;
            if (_position - start > MaxLiteralDigits) return false;
            var literal = BigInteger.Parse(text.AsSpan(start, _position - start));
            literals.Add(literal);
            value = Fraction.Of(literal);
            return true;
        }

        char Peek()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position])) _position++;
            return _position < text.Length ? text[_position] : '\0';
        }

        char Take() => text[_position++];
    }
}
