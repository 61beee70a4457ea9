using k8s.Models;
using Lineage.LocalNode.Jobs;

namespace Lineage.LocalNode.Tests.Jobs;

public sealed class JobSupportTests
{
    static V1Job Job(Action<V1JobSpec> configure)
    {
        var spec = new V1JobSpec { Template = new V1PodTemplateSpec() };
        configure(spec);
        return new V1Job { Spec = spec };
    }

    [Fact]
    public void A_plain_job_as_the_operator_renders_it_is_supported()
    {
        Assert.Null(JobSupport.Unsupported(Job(s => { s.CompletionMode = "NonIndexed"; s.BackoffLimit = 3; s.ActiveDeadlineSeconds = 60; s.Suspend = true; })));
    }

    [Fact]
    public void A_pod_failure_policy_with_FailJob_Ignore_and_Count_rules_is_supported()
    {
        Assert.Null(JobSupport.Unsupported(Job(s =>
        {
            s.PodReplacementPolicy = "Failed";
            s.PodFailurePolicy = new V1PodFailurePolicy
            {
                Rules =
                [
                    new V1PodFailurePolicyRule { Action = "FailJob", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "In", Values = [2] } },
                    new V1PodFailurePolicyRule { Action = "Ignore", OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget", Status = "True" }] },
                    new V1PodFailurePolicyRule { Action = "Count", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "NotIn", Values = [2] } },
                ],
            };
        })));
    }

    [Fact]
    public void Indexed_jobs_and_FailIndex_rules_are_refused_by_name()
    {
        var message = JobSupport.Unsupported(Job(s =>
        {
            s.CompletionMode = "Indexed";
            s.PodFailurePolicy = new V1PodFailurePolicy { Rules = [new V1PodFailurePolicyRule { Action = "FailIndex", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "In", Values = [1] } }] };
        }));

        Assert.Equal("the local node's Job controller does not support completionMode Indexed, podFailurePolicy action FailIndex; the Job is not run", message);
    }

    [Fact]
    public void A_job_managed_by_another_controller_is_left_alone()
    {
        Assert.True(JobSupport.ManagedElsewhere(Job(s => s.ManagedBy = "kueue.x-k8s.io/multikueue")));
        Assert.False(JobSupport.ManagedElsewhere(Job(s => s.ManagedBy = JobSupport.BuiltInManager)));
        Assert.False(JobSupport.ManagedElsewhere(Job(_ => { })));
    }
}
