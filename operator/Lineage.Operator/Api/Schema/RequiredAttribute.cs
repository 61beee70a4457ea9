namespace Lineage.Operator.Api.Schema;

/// <summary>The field must be present; lands in the schema's <c>required</c> list.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;
