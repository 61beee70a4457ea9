namespace Lineage.Operator.Api.Schema;

/// <summary>Bounds on a string's length or a list's item count; -1 leaves a side open.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LengthAttribute(int minimum = -1, int maximum = -1) : Attribute
{
    public int Minimum { get; } = minimum;
    public int Maximum { get; } = maximum;
}
