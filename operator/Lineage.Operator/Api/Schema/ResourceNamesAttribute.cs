namespace Lineage.Operator.Api.Schema;

/// <summary>The CRD's short names and categories (<c>kubectl get lineage</c> lists every kind in the category).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ResourceNamesAttribute(params string[] shortNames) : Attribute
{
    public string[] ShortNames { get; } = shortNames;
    public string[] Categories { get; init; } = [];
}
