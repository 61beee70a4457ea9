namespace Lineage.Operator.Api.Schema;

/// <summary>
/// A CEL rule (<c>x-kubernetes-validations</c>) on the schema of the class or property it is attached to;
/// <c>self</c> is that object. For one-of and cross-field rules the schema cannot say otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;
    public string Message { get; } = message;
}
