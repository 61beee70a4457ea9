namespace Lineage.Operator.Api.Schema;

/// <summary>
/// The string field takes one of these values. The second form names a static string array on a contract
/// type (e.g. <c>GrpoConfig.LossTypes</c>), so the schema and the trainer's validation share one list.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EnumAttribute : Attribute
{
    public EnumAttribute(params string[] values) => Values = values;

    public EnumAttribute(Type source, string field) =>
        Values = (string[])(source.GetField(field)?.GetValue(null)
            ?? throw new ArgumentException($"{source.Name}.{field} is not a static string array"));

    public string[] Values { get; }
}
