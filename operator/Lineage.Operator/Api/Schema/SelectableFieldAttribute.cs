namespace Lineage.Operator.Api.Schema;

/// <summary>
/// A field <c>kubectl get --field-selector</c> can select on (the CRD version's <c>selectableFields</c>, Kubernetes ≥ 1.32):
/// a simple JSON path to a string, boolean or integer field outside metadata, at most 8 per kind.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class SelectableFieldAttribute(string jsonPath) : Attribute
{
    public string JsonPath { get; } = jsonPath;
}
