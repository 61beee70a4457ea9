namespace Lineage.LocalNode.Jobs;

/// <summary>The condition types, reasons and messages kube-controller-manager's Job controller writes (v1.33+).</summary>
public static class JobConditions
{
    public const string SuccessCriteriaMet = "SuccessCriteriaMet";
    public const string Complete = "Complete";
    public const string FailureTarget = "FailureTarget";
    public const string Failed = "Failed";
    public const string Suspended = "Suspended";

    public const string CompletionsReached = "CompletionsReached";
    public const string CompletionsReachedMessage = "Reached expected number of succeeded pods";
    public const string BackoffLimitExceeded = "BackoffLimitExceeded";
    public const string BackoffLimitExceededMessage = "Job has reached the specified backoff limit";
    public const string DeadlineExceeded = "DeadlineExceeded";
    public const string DeadlineExceededMessage = "Job was active longer than specified deadline";
    public const string JobSuspended = "JobSuspended";
    public const string JobSuspendedMessage = "Job suspended";
    public const string JobResumed = "JobResumed";
    public const string JobResumedMessage = "Job resumed";

    /// <summary>The finalizer the controller puts on every pod it creates, so no terminated pod goes uncounted.</summary>
    public const string TrackingFinalizer = "batch.kubernetes.io/job-tracking";
}
