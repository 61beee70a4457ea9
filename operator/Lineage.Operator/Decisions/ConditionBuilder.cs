using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// Starts from the previous conditions and sets some of them: lastTransitionTime moves only when a
/// condition's status flips, so an unchanged observation writes the same status again (and thus nothing).
/// </summary>
public sealed class ConditionBuilder(IReadOnlyList<Condition> previous, long? observedGeneration, DateTime now)
{
    readonly List<Condition> _conditions = [.. previous];

    public IReadOnlyList<Condition> Conditions => _conditions;

    public ConditionBuilder Set(string type, bool status, string reason, string message) =>
        Set(type, status ? "True" : "False", reason, message);

    public ConditionBuilder Set(string type, string status, string reason, string message)
    {
        int index = _conditions.FindIndex(c => c.Type == type);
        var old = index >= 0 ? _conditions[index] : null;
        var next = new Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            ObservedGeneration = observedGeneration,
            LastTransitionTime = old is not null && old.Status == status ? old.LastTransitionTime : now,
        };
        if (index >= 0) _conditions[index] = next;
        else _conditions.Add(next);
        return this;
    }
}
