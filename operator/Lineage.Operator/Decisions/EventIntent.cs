namespace Lineage.Operator.Decisions;

/// <summary>An Event the controller should record on the object: Normal or Warning, a reason, a message.</summary>
public sealed record EventIntent(string Type, string Reason, string Message)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}
