namespace Lineage.Operator.Api.Schema;

/// <summary>
/// The server-side default. Without it, a scalar spec field's C# initializer value is the default, so the
/// schema and a deserialized object with the field missing always agree.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultAttribute(object value) : Attribute
{
    public object Value { get; } = value;
}
