namespace Lineage.Operator.Api.Schema;

/// <summary>Keeps the C# initializer out of the schema (the operator fills the field in).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NoDefaultAttribute : Attribute;
