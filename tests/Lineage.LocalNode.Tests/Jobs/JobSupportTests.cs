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
    public void Indexed_jobs_and_pod_failure_policies_are_refused_by_name()
    {
        var message = JobSupport.Unsupported(Job(s => { s.CompletionMode = "Indexed"; s.PodFailurePolicy = new V1PodFailurePolicy { Rules = [] }; }));

        Assert.Equal("the local node's Job controller does not support completionMode Indexed, podFailurePolicy; the Job is not run", message);
    }

    [Fact]
    public void A_job_managed_by_another_controller_is_left_alone()
    {
        Assert.True(JobSupport.ManagedElsewhere(Job(s => s.ManagedBy = "kueue.x-k8s.io/multikueue")));
        Assert.False(JobSupport.ManagedElsewhere(Job(s => s.ManagedBy = JobSupport.BuiltInManager)));
        Assert.False(JobSupport.ManagedElsewhere(Job(_ => { })));
    }
}
