namespace Lineage.Operator.Api.Schema;

/// <summary>A list of objects keyed by these fields (<c>x-kubernetes-list-type: map</c>), e.g. conditions by type.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapAttribute(params string[] keys) : Attribute
{
    public string[] Keys { get; } = keys;
}
