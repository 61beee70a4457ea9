using k8s.Models;
using Lineage.LocalNode.Pods;

namespace Lineage.LocalNode.Jobs;

/// <summary>
/// How long a Job waits before replacing a failed pod: <c>base × 2^(failures − 1)</c> after its last failure, capped,
/// where failures counts those since the last success (the Job controller's backoff record; 10 s doubling to
/// 10 minutes by default). Kept in memory, as the real controller does.
/// </summary>
public sealed record PodFailureBackoff(int FailuresAfterLastSuccess, DateTime? LastFailureTime)
{
    public static readonly PodFailureBackoff None = new(0, null);

    /// <summary>The record after the pods that newly finished (counted in this sync).</summary>
    public PodFailureBackoff After(IReadOnlyCollection<V1Pod> newSucceeded, IReadOnlyCollection<V1Pod> newFailed)
    {
        if (newSucceeded.Count == 0)
        {
            if (newFailed.Count == 0) return this;
            return new PodFailureBackoff(FailuresAfterLastSuccess + newFailed.Count, newFailed.Max(PodFacts.FinishedAt));
        }
        var lastSuccess = newSucceeded.Max(PodFacts.FinishedAt);
        var failuresSince = newFailed.Where(p => PodFacts.FinishedAt(p) > lastSuccess).ToList();
        return failuresSince.Count == 0
            ? None
            : new PodFailureBackoff(failuresSince.Count, failuresSince.Max(PodFacts.FinishedAt));
    }

    /// <summary>How long until a replacement pod may be created; zero when it may be created now.</summary>
    public TimeSpan Remaining(DateTime now, TimeSpan @base, TimeSpan max)
    {
        if (FailuresAfterLastSuccess == 0 || LastFailureTime is null) return TimeSpan.Zero;
        var delay = @base;
        for (var i = 1; i < FailuresAfterLastSuccess && delay < max; i++) delay *= 2;
        if (delay > max) delay = max;
        var elapsed = now - LastFailureTime.Value;
        return elapsed >= delay ? TimeSpan.Zero : delay - elapsed;
    }
}
