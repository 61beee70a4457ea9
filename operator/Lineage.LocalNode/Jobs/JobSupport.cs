using k8s.Models;

namespace Lineage.LocalNode.Jobs;

/// <summary>Which Jobs this controller runs: NonIndexed, managed by the built-in Job controller, without a success policy or per-index limits.</summary>
public static class JobSupport
{
    public const string BuiltInManager = "kubernetes.io/job-controller";

    /// <summary>Whether another controller manages the Job (spec.managedBy): then it is left alone, as the real controller does.</summary>
    public static bool ManagedElsewhere(V1Job job) => job.Spec?.ManagedBy is { Length: > 0 } manager && manager != BuiltInManager;

    /// <summary>Why the local Job controller cannot run this Job faithfully, or null when it can.</summary>
    public static string? Unsupported(V1Job job)
    {
        var spec = job.Spec;
        if (spec is null) return null;
        var features = new List<string>();
        if (spec.CompletionMode is { } mode && mode != "NonIndexed") features.Add($"completionMode {mode}");
        if (spec.PodFailurePolicy?.Rules?.FirstOrDefault(r => r.Action == "FailIndex") is not null) features.Add("podFailurePolicy action FailIndex");
        if (spec.SuccessPolicy is not null) features.Add("successPolicy");
        if (spec.BackoffLimitPerIndex is not null) features.Add("backoffLimitPerIndex");
        if (spec.PodReplacementPolicy is { } policy && policy is not ("TerminatingOrFailed" or "Failed")) features.Add($"podReplacementPolicy {policy}");
        return features.Count == 0 ? null : $"the local node's Job controller does not support {string.Join(", ", features)}; the Job is not run";
    }
}
