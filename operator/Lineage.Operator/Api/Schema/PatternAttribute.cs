namespace Lineage.Operator.Api.Schema;

/// <summary>An ECMA-262 regular expression the string must match.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string regex) : Attribute
{
    public string Regex { get; } = regex;
}
