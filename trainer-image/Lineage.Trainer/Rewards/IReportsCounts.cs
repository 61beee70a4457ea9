namespace Lineage.Trainer.Rewards;

/// <summary>A reward that counts what happened while scoring (e.g. judgments made, replies that did not parse), for metrics.</summary>
public interface IReportsCounts
{
    /// <summary>Running totals since the reward was built, keyed by metric name.</summary>
    IReadOnlyDictionary<string, long> Counts { get; }
}
