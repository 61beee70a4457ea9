using k8s.Models;

namespace Lineage.LocalNode.Jobs;

/// <summary>What a Job's pod failure policy says of one failed pod.</summary>
/// <param name="CountsAsFailed">Whether the failure counts towards backoffLimit (false for an Ignore rule).</param>
/// <param name="FailJobMessage">Set when a FailJob rule matched: the Job's FailureTarget message.</param>
public sealed record PodFailureVerdict(bool CountsAsFailed, string? FailJobMessage)
{
    public static readonly PodFailureVerdict Count = new(true, null);
    public static readonly PodFailureVerdict Ignore = new(false, null);
}

/// <summary>
/// A Job's <c>podFailurePolicy</c> applied to a failed pod as kube-controller-manager applies it
/// (<c>matchPodFailurePolicy</c>, v1.31+): the first rule that matches decides; an <c>onExitCodes</c> rule matches a
/// terminated container (of the named one, or any) with a non-zero exit code In / NotIn its values, an
/// <c>onPodConditions</c> rule a pod condition of that type and status. No rule matching counts the failure. Pure.
/// </summary>
public static class PodFailurePolicies
{
    public const string Reason = "PodFailurePolicy";

    public static PodFailureVerdict Match(V1PodFailurePolicy? policy, V1Pod pod)
    {
        if (policy?.Rules is not { } rules) return PodFailureVerdict.Count;
        for (var index = 0; index < rules.Count; index++)
        {
            var rule = rules[index];
            string? failJob;
            if (rule.OnExitCodes is { } onExitCodes)
            {
                if (MatchingContainer(pod.Status, onExitCodes) is not { } container) continue;
                failJob = $"Container {container.Name} for pod {Describe(pod)} failed with exit code {container.State.Terminated.ExitCode} matching {rule.Action} rule at index {index}";
            }
            else if (rule.OnPodConditions is { Count: > 0 } patterns)
            {
                if (MatchingCondition(pod.Status, patterns) is not { } condition) continue;
                failJob = $"Pod {Describe(pod)} has condition {condition.Type} matching {rule.Action} rule at index {index}";
            }
            else continue;
            return rule.Action switch
            {
                "Ignore" => PodFailureVerdict.Ignore,
                "FailJob" => new PodFailureVerdict(true, failJob),
                _ => PodFailureVerdict.Count, // Count, and FailIndex (Indexed Jobs only, which this controller does not run)
            };
        }
        return PodFailureVerdict.Count;
    }

    /// <summary>
    /// Whether failed pods are replaced only once terminal (podReplacementPolicy Failed, which a pod failure policy
    /// implies): then a pod being deleted counts as failed only when its phase is Failed, and terminating pods hold
    /// their place until then (<c>onlyReplaceFailedPods</c>).
    /// </summary>
    public static bool OnlyReplaceFailedPods(V1JobSpec spec) => spec.PodReplacementPolicy == "Failed" || spec.PodFailurePolicy is not null;

    static V1ContainerStatus? MatchingContainer(V1PodStatus? status, V1PodFailurePolicyOnExitCodesRequirement requirement) =>
        Matching(status?.ContainerStatuses, requirement) ?? Matching(status?.InitContainerStatuses, requirement);

    static V1ContainerStatus? Matching(IList<V1ContainerStatus>? statuses, V1PodFailurePolicyOnExitCodesRequirement requirement) =>
        statuses?.FirstOrDefault(s =>
            s.State?.Terminated is { ExitCode: not 0 } terminated
            && (requirement.ContainerName is null || requirement.ContainerName == s.Name)
            && (requirement.OperatorProperty == "NotIn") != (requirement.Values?.Contains(terminated.ExitCode) == true));

    static V1PodCondition? MatchingCondition(V1PodStatus? status, IList<V1PodFailurePolicyOnPodConditionsPattern> patterns) =>
        patterns.Select(p => status?.Conditions?.FirstOrDefault(c => c.Type == p.Type && c.Status == (p.Status ?? "True")))
            .FirstOrDefault(c => c is not null);

    static string Describe(V1Pod pod) => $"{pod.Metadata?.NamespaceProperty}/{pod.Metadata?.Name}";
}
