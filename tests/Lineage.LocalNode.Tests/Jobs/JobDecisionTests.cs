using k8s.Models;
using Lineage.LocalNode.Jobs;

namespace Lineage.LocalNode.Tests.Jobs;

/// <summary>One sync of a Job, decided from what the caches show (kube-controller-manager's rules, v1.33+).</summary>
public sealed class JobDecisionTests
{
    static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    static readonly TimeSpan Base = TimeSpan.FromSeconds(10);

    static V1Job Job(int backoffLimit = 3, bool suspend = false, long? deadline = null, V1JobStatus? status = null, V1PodFailurePolicy? policy = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "train", NamespaceProperty = "ml", Uid = "job-uid", ResourceVersion = "7" },
        Spec = new V1JobSpec
        {
            BackoffLimit = backoffLimit, Suspend = suspend, ActiveDeadlineSeconds = deadline, Completions = 1, Parallelism = 1, PodFailurePolicy = policy,
            Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "main" }] } },
        },
        Status = status,
    };

    static V1JobStatus Started(int failed = 0, params V1JobCondition[] conditions) =>
        new() { StartTime = Now.AddMinutes(-1), Failed = failed == 0 ? null : failed, Conditions = conditions.ToList(), UncountedTerminatedPods = new() };

    static V1Pod Pod(string uid, string phase, bool ready = false, bool finalizer = true, bool deleting = false, DateTime? finished = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "train-" + uid, NamespaceProperty = "ml", Uid = uid, CreationTimestamp = Now.AddMinutes(-1),
            Finalizers = finalizer ? [JobConditions.TrackingFinalizer] : [],
            DeletionTimestamp = deleting ? Now.AddSeconds(-1) : null,
        },
        Spec = new V1PodSpec { NodeName = "local" },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = ready ? [new V1PodCondition { Type = "Ready", Status = "True" }] : [],
            ContainerStatuses = finished is { } at ? [new V1ContainerStatus { Name = "main", State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { FinishedAt = at } } }] : null,
        },
    };

    static JobPlan Decide(V1Job job, IReadOnlyList<V1Pod>? pods = null, bool satisfied = true, IReadOnlySet<string>? inFlight = null, PodFailureBackoff? backoff = null) =>
        JobDecision.Decide(new JobObservation(job, pods ?? [], satisfied, inFlight ?? new HashSet<string>(), backoff ?? PodFailureBackoff.None, Now, Base, TimeSpan.FromMinutes(10)));

    /// <summary>The operator's policy for trainer Jobs: exit code 2 (bad input) fails the Job, a disruption is not counted.</summary>
    static readonly V1PodFailurePolicy TrainerPolicy = new()
    {
        Rules =
        [
            new V1PodFailurePolicyRule { Action = "FailJob", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { ContainerName = "main", OperatorProperty = "In", Values = [2] } },
            new V1PodFailurePolicyRule { Action = "Ignore", OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget", Status = "True" }] },
        ],
    };

    static V1Pod Exited(string uid, int exitCode, V1PodCondition? condition = null)
    {
        var pod = Pod(uid, "Failed");
        pod.Status.ContainerStatuses = [new V1ContainerStatus { Name = "main", State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, FinishedAt = Now.AddSeconds(-2) } } }];
        if (condition is not null) pod.Status.Conditions = [condition];
        return pod;
    }

    static V1JobCondition Condition(string type, string reason) => JobConditionList.New(type, "True", reason, "m", Now.AddSeconds(-5));

    [Fact]
    public void A_new_job_gets_one_pod_and_its_start_time()
    {
        var plan = Decide(Job());

        Assert.Equal(1, plan.PodsToCreate);
        Assert.Equal(Now, plan.Status!.StartTime);
        Assert.Equal((1, 0, 0), (plan.Status.Active, plan.Status.Ready, plan.Status.Terminating));
        Assert.Empty(plan.Status.Conditions!);
        Assert.Null(plan.Finish);
    }

    [Fact]
    public void A_job_whose_earlier_creates_are_not_yet_seen_waits_for_the_cache_and_writes_nothing()
    {
        var plan = Decide(Job(status: Started()), satisfied: false);

        Assert.Same(JobPlan.WaitForCache, plan);
        Assert.Null(plan.Status);
        Assert.Equal(0, plan.PodsToCreate);
    }

    [Fact]
    public void A_running_ready_pod_is_counted_active_and_ready_and_nothing_is_created()
    {
        var plan = Decide(Job(status: Started()), [Pod("a", "Running", ready: true)]);

        Assert.Equal(0, plan.PodsToCreate);
        Assert.Equal((1, 1), (plan.Status!.Active, plan.Status.Ready));
        Assert.Empty(plan.FinalizersToRemove);
    }

    [Fact]
    public void A_succeeded_pod_is_listed_uncounted_its_finalizer_released_and_SuccessCriteriaMet_set_before_Complete()
    {
        var plan = Decide(Job(status: Started()), [Pod("a", "Succeeded")]);

        Assert.Equal(["a"], plan.Status!.UncountedTerminatedPods!.Succeeded);
        Assert.Equal(["a"], plan.FinalizersToRemove.Select(p => p.Metadata.Uid));
        var met = Assert.Single(plan.Status.Conditions!);
        Assert.Equal((JobConditions.SuccessCriteriaMet, JobConditions.CompletionsReached), (met.Type, met.Reason));
        Assert.Equal(JobConditions.Complete, plan.Finish!.Type);
        Assert.Null(plan.Status.CompletionTime);
        Assert.Equal(0, plan.Status.Active);
        Assert.Equal(0, plan.PodsToCreate);
    }

    [Fact]
    public void Once_the_finalizer_is_released_the_pod_is_counted_and_the_job_completes()
    {
        var plan = Decide(Job(status: Started()), [Pod("a", "Succeeded")]);
        var status = plan.Status!;

        Assert.True(JobDecision.CountReleased(status, new HashSet<string>()));
        var finished = JobDecision.EnactFinish(status, plan.Finish, plan.Terminating, Now);

        Assert.Equal(1, status.Succeeded);
        Assert.Empty(status.UncountedTerminatedPods!.Succeeded!);
        Assert.Equal([JobConditions.SuccessCriteriaMet, JobConditions.Complete], status.Conditions!.Select(c => c.Type));
        Assert.Equal(Now, status.CompletionTime);
        Assert.Equal(("Completed", "Job completed"), (finished!.Reason, finished.Message));
    }

    [Fact]
    public void A_job_is_not_finished_while_a_pod_is_uncounted()
    {
        var plan = Decide(Job(status: Started()), [Pod("a", "Succeeded")]);

        Assert.Null(JobDecision.EnactFinish(plan.Status!, plan.Finish, plan.Terminating, Now));
        Assert.DoesNotContain(plan.Status!.Conditions!, c => c.Type == JobConditions.Complete);
    }

    [Fact]
    public void A_failed_pod_within_the_backoff_limit_is_counted_and_replaced_after_the_backoff_delay()
    {
        var failedAt = Now.AddSeconds(-4);
        var plan = Decide(Job(status: Started()), [Pod("a", "Failed", finished: failedAt)]);

        Assert.Equal(["a"], plan.Status!.UncountedTerminatedPods!.Failed);
        Assert.Equal(0, plan.PodsToCreate);
        Assert.Equal(TimeSpan.FromSeconds(6), plan.RequeueAfter);
        Assert.Equal(new PodFailureBackoff(1, failedAt), plan.Backoff);
        Assert.Null(plan.Finish);
    }

    [Fact]
    public void A_counted_failure_whose_backoff_has_passed_gets_a_replacement_pod()
    {
        var plan = Decide(Job(status: Started(failed: 1)), [Pod("a", "Failed", finalizer: false)], backoff: new PodFailureBackoff(1, Now.AddSeconds(-11)));

        Assert.Equal(1, plan.PodsToCreate);
        Assert.Equal(1, plan.Status!.Active);
    }

    [Fact]
    public void More_failures_than_the_backoff_limit_set_FailureTarget_then_Failed_with_BackoffLimitExceeded()
    {
        var plan = Decide(Job(backoffLimit: 1, status: Started(failed: 1)), [Pod("b", "Failed")]);

        var target = Assert.Single(plan.Status!.Conditions!);
        Assert.Equal((JobConditions.FailureTarget, JobConditions.BackoffLimitExceeded, JobConditions.BackoffLimitExceededMessage), (target.Type, target.Reason, target.Message));
        Assert.Equal((JobConditions.Failed, JobConditions.BackoffLimitExceeded), (plan.Finish!.Type, plan.Finish.Reason));
        Assert.Equal(0, plan.PodsToCreate);
        JobDecision.CountReleased(plan.Status, new HashSet<string>());
        var finished = JobDecision.EnactFinish(plan.Status, plan.Finish, plan.Terminating, Now);
        Assert.Equal(2, plan.Status.Failed);
        Assert.Equal([JobConditions.FailureTarget, JobConditions.Failed], plan.Status.Conditions!.Select(c => c.Type));
        Assert.Null(plan.Status.CompletionTime);
        Assert.Equal(("Warning", JobConditions.BackoffLimitExceeded), (finished!.Type, finished.Reason));
    }

    [Fact]
    public void A_job_past_its_deadline_deletes_its_active_pod_counts_it_failed_and_waits_for_it_to_terminate_before_Failed()
    {
        var job = Job(deadline: 30, status: Started());
        var plan = Decide(job, [Pod("a", "Running", ready: true)]);

        var deletion = Assert.Single(plan.PodsToDelete);
        Assert.False(deletion.ReleaseFinalizerFirst);
        Assert.Equal(JobConditions.DeadlineExceeded, Assert.Single(plan.Status!.Conditions!).Reason);
        Assert.Equal(["a"], plan.Status.UncountedTerminatedPods!.Failed);
        Assert.Equal((0, 0, 1), (plan.Status.Active, plan.Status.Ready, plan.Status.Terminating));
        JobDecision.CountReleased(plan.Status, new HashSet<string>());
        Assert.Null(JobDecision.EnactFinish(plan.Status, plan.Finish, plan.Terminating, Now));
    }

    [Fact]
    public void A_FailureTarget_already_written_becomes_Failed_once_no_pod_terminates()
    {
        var plan = Decide(Job(status: Started(failed: 1, Condition(JobConditions.FailureTarget, JobConditions.DeadlineExceeded))));

        Assert.Equal((JobConditions.Failed, JobConditions.DeadlineExceeded), (plan.Finish!.Type, plan.Finish.Reason));
        Assert.NotNull(JobDecision.EnactFinish(plan.Status!, plan.Finish, plan.Terminating, Now));
        Assert.Equal([JobConditions.FailureTarget, JobConditions.Failed], plan.Status!.Conditions!.Select(c => c.Type));
    }

    [Fact]
    public void A_job_within_its_deadline_is_synced_again_when_the_deadline_passes()
    {
        var plan = Decide(Job(deadline: 90, status: Started()), [Pod("a", "Running")]);

        Assert.Equal(TimeSpan.FromSeconds(30), plan.RequeueAfter);
        Assert.Null(plan.Finish);
    }

    [Fact]
    public void Suspending_deletes_active_pods_releasing_their_finalizer_first_and_forgets_the_start_time()
    {
        var plan = Decide(Job(suspend: true, status: Started()), [Pod("a", "Running", ready: true)]);

        var deletion = Assert.Single(plan.PodsToDelete);
        Assert.True(deletion.ReleaseFinalizerFirst);
        var suspended = Assert.Single(plan.Status!.Conditions!);
        Assert.Equal((JobConditions.Suspended, "True", JobConditions.JobSuspended), (suspended.Type, suspended.Status, suspended.Reason));
        Assert.Null(plan.Status.StartTime);
        Assert.Equal((0, 0, 1), (plan.Status.Active, plan.Status.Ready, plan.Status.Terminating));
        Assert.Empty(plan.Status.UncountedTerminatedPods!.Failed ?? []);
        Assert.Equal("Suspended", Assert.Single(plan.Events).Reason);
    }

    [Fact]
    public void A_job_created_suspended_gets_no_pod_and_no_start_time()
    {
        var plan = Decide(Job(suspend: true));

        Assert.Equal(0, plan.PodsToCreate);
        Assert.Null(plan.Status!.StartTime);
        Assert.Equal(JobConditions.JobSuspended, Assert.Single(plan.Status.Conditions!).Reason);
    }

    [Fact]
    public void Resuming_sets_Suspended_False_with_JobResumed_a_new_start_time_and_a_pod()
    {
        var job = Job(status: new V1JobStatus { Conditions = [Condition(JobConditions.Suspended, JobConditions.JobSuspended)] });

        var plan = Decide(job);

        var condition = Assert.Single(plan.Status!.Conditions!);
        Assert.Equal(("False", JobConditions.JobResumed, JobConditions.JobResumedMessage), (condition.Status, condition.Reason, condition.Message));
        Assert.Equal(Now, plan.Status.StartTime);
        Assert.Equal(1, plan.PodsToCreate);
        Assert.Equal("Resumed", Assert.Single(plan.Events).Reason);
    }

    [Fact]
    public void A_running_pod_that_is_being_deleted_counts_as_a_failure_and_as_terminating()
    {
        var plan = Decide(Job(status: Started()), [Pod("a", "Running", deleting: true)]);

        Assert.Equal(["a"], plan.Status!.UncountedTerminatedPods!.Failed);
        Assert.Equal((0, 1), (plan.Status.Active, plan.Status.Terminating));
    }

    [Fact]
    public void A_pod_whose_finalizer_removal_is_in_flight_is_not_counted_again()
    {
        var status = Started();
        status.Failed = 1;
        var plan = Decide(Job(status: status), [Pod("a", "Failed")], inFlight: new HashSet<string> { "a" }, backoff: new PodFailureBackoff(1, Now.AddMinutes(-1)));

        Assert.Equal(1, plan.Status!.Failed);
        Assert.Empty(plan.Status.UncountedTerminatedPods!.Failed ?? []);
        Assert.Empty(plan.FinalizersToRemove);
        Assert.Equal(1, plan.PodsToCreate);
    }

    [Fact]
    public void A_pod_whose_container_exit_code_matches_a_FailJob_rule_fails_the_job_at_once_with_PodFailurePolicy()
    {
        var plan = Decide(Job(backoffLimit: 3, status: Started(), policy: TrainerPolicy), [Exited("a", 2)]);

        var target = Assert.Single(plan.Status!.Conditions!);
        Assert.Equal((JobConditions.FailureTarget, "PodFailurePolicy"), (target.Type, target.Reason));
        Assert.Equal("Container main for pod ml/train-a failed with exit code 2 matching FailJob rule at index 0", target.Message);
        Assert.Equal((JobConditions.Failed, "PodFailurePolicy"), (plan.Finish!.Type, plan.Finish.Reason));
        Assert.Equal(["a"], plan.Status.UncountedTerminatedPods!.Failed);
        Assert.Equal(0, plan.PodsToCreate);
    }

    [Fact]
    public void A_pod_whose_exit_code_matches_no_rule_is_counted_and_retried_as_without_a_policy()
    {
        var plan = Decide(Job(backoffLimit: 3, status: Started(), policy: TrainerPolicy), [Exited("a", 1)]);

        Assert.Empty(plan.Status!.Conditions!);
        Assert.Null(plan.Finish);
        Assert.Equal(["a"], plan.Status.UncountedTerminatedPods!.Failed);
        Assert.Equal(0, plan.PodsToCreate);
        Assert.True(plan.RequeueAfter > TimeSpan.Zero, "the replacement waits for the pod failure backoff");
    }

    [Fact]
    public void A_disrupted_pod_matching_an_Ignore_rule_is_released_without_counting_against_the_backoff_limit()
    {
        var disrupted = new V1PodCondition { Type = "DisruptionTarget", Status = "True", Reason = "PreemptionByScheduler" };
        var plan = Decide(Job(backoffLimit: 0, status: Started(), policy: TrainerPolicy), [Exited("a", 137, disrupted)]);

        Assert.Null(plan.Finish);
        Assert.Empty(plan.Status!.Conditions!);
        Assert.Empty(plan.Status.UncountedTerminatedPods!.Failed!);
        Assert.Equal(["a"], plan.FinalizersToRemove.Select(p => p.Metadata.Uid));
    }

    [Fact]
    public void The_same_disruption_without_a_policy_exceeds_a_zero_backoff_limit()
    {
        var disrupted = new V1PodCondition { Type = "DisruptionTarget", Status = "True", Reason = "PreemptionByScheduler" };
        var plan = Decide(Job(backoffLimit: 0, status: Started()), [Exited("a", 137, disrupted)]);

        Assert.Equal(JobConditions.BackoffLimitExceeded, plan.Finish!.Reason);
    }

    [Fact]
    public void With_a_policy_a_pod_being_deleted_is_not_failed_until_terminal_and_is_not_replaced_before()
    {
        var plan = Decide(Job(status: Started(), policy: TrainerPolicy), [Pod("a", "Running", deleting: true)]);

        Assert.Equal(0, plan.PodsToCreate);
        Assert.Null(plan.RequeueAfter);
        Assert.Equal((0, 1), (plan.Status!.Active, plan.Status.Terminating));
        Assert.Empty(plan.Status.UncountedTerminatedPods!.Failed!);
        Assert.Empty(plan.FinalizersToRemove);
    }

    [Fact]
    public void NotIn_matches_exit_codes_outside_its_values_and_never_a_zero_exit()
    {
        var notIn = new V1PodFailurePolicy { Rules = [new V1PodFailurePolicyRule { Action = "FailJob", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { OperatorProperty = "NotIn", Values = [1, 2] } }] };

        Assert.NotNull(PodFailurePolicies.Match(notIn, Exited("a", 3)).FailJobMessage);
        Assert.Null(PodFailurePolicies.Match(notIn, Exited("b", 2)).FailJobMessage);
        Assert.Null(PodFailurePolicies.Match(notIn, Exited("c", 0)).FailJobMessage);
        Assert.Same(PodFailureVerdict.Count, PodFailurePolicies.Match(null, Exited("d", 2)));
    }

    [Fact]
    public void A_finished_job_is_left_alone()
    {
        var done = Started(0, Condition(JobConditions.SuccessCriteriaMet, JobConditions.CompletionsReached), Condition(JobConditions.Complete, JobConditions.CompletionsReached));

        Assert.Same(JobPlan.Nothing, Decide(Job(status: done), [Pod("a", "Succeeded", finalizer: false)]));
    }
}
