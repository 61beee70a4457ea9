namespace Lineage.Operator.Api.Schema;

/// <summary>Inclusive bounds of a number; NaN leaves a side open.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute(double minimum = double.NaN, double maximum = double.NaN) : Attribute
{
    public double Minimum { get; } = minimum;
    public double Maximum { get; } = maximum;
}
