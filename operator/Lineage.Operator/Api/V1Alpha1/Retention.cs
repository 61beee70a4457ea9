namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>What happens to a generation's artifacts when it is deleted.</summary>
public static class Retention
{
    public const string Retain = "retain";
    public const string Delete = "delete";
}
