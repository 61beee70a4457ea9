namespace Lineage.EmbeddedApiServer.Selectors;

/// <summary>One clause of a label selector, e.g. <c>tier in (a,b)</c> or <c>!canary</c>.</summary>
internal sealed record LabelRequirement(string Key, LabelOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            LabelOperator.Exists => present,
            LabelOperator.DoesNotExist => !present,
            LabelOperator.Equals or LabelOperator.In => present && Values.Contains(value!),
            LabelOperator.NotEquals or LabelOperator.NotIn => !present || !Values.Contains(value!),
            _ => false,
        };
    }
}
