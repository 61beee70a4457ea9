namespace Lineage.Operator.Api.Schema;

/// <summary>A column of <c>kubectl get</c>, in declaration order.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(string name, string type, string jsonPath) : Attribute
{
    public string Name { get; } = name;
    /// <summary>string, integer, number, boolean or date.</summary>
    public string Type { get; } = type;
    public string JsonPath { get; } = jsonPath;
    public string? Description { get; init; }
    /// <summary>0 shows in plain <c>kubectl get</c>; higher only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }
}
