namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>Condition and Event reasons (CamelCase constants, stable for alerting and tests).</summary>
public static class Reasons
{
    // ParentReady
    public const string BaseModel = "BaseModel";
    public const string FromScratch = "FromScratch";
    public const string ParentPromoted = "ParentPromoted";
    public const string ParentNotFound = "ParentNotFound";
    public const string ParentNotPromoted = "ParentNotPromoted";
    public const string ParentInOtherLineage = "ParentInOtherLineage";
    public const string ParentCycle = "ParentCycle";
    public const string ModelNotReady = "ModelNotReady";

    // StorageReady
    public const string SecretFound = "SecretFound";
    public const string SecretNotFound = "SecretNotFound";
    public const string SecretKeyMissing = "SecretKeyMissing";
    public const string SecretForbidden = "SecretForbidden";
    public const string NoSecretNeeded = "NoSecretNeeded";

    // Trained
    public const string NoTraining = "NoTraining";
    public const string TrainingRunning = "TrainingRunning";
    public const string TrainingSucceeded = "TrainingSucceeded";
    public const string TrainingFailed = "TrainingFailed";

    // Evaluated
    public const string EvaluationRunning = "EvaluationRunning";
    public const string EvaluationSucceeded = "EvaluationSucceeded";
    public const string EvaluationFailed = "EvaluationFailed";
    public const string EvaluationResultMissing = "EvaluationResultMissing";
    /// <summary>eval/result.json is there but names another model than the one this generation evaluates.</summary>
    public const string EvaluationModelMismatch = "EvaluationModelMismatch";

    // Promoted
    public const string GatePassed = "GatePassed";
    public const string BelowMinScore = "BelowMinScore";
    public const string NoImprovementOverParent = "NoImprovementOverParent";
    public const string RewardHackingSuspected = "RewardHackingSuspected";
    public const string AwaitingApproval = "AwaitingApproval";
    public const string Approved = "Approved";

    // JudgeQualified
    public const string JudgeBetterThanRandom = Lineage.Contracts.Store.JudgeCheckResult.BetterThanRandom;
    public const string JudgeNotBetterThanRandom = Lineage.Contracts.Store.JudgeCheckResult.NotBetterThanRandom;

    // Running / Succeeded / Failed of a run
    public const string JobCreated = "JobCreated";
    public const string JobPending = "JobPending";
    public const string JobRunning = "JobRunning";
    public const string JobSuspended = "JobSuspended";
    public const string JobSucceeded = "JobSucceeded";
    public const string JobFailed = "JobFailed";
    public const string BackoffLimitExceeded = "BackoffLimitExceeded";
    public const string DeadlineExceeded = "DeadlineExceeded";
    /// <summary>The trainer refused its input (exit code 2: the config, a dataset, a model file); the Job is not retried.</summary>
    public const string TrainerInputRejected = "TrainerInputRejected";

    // Lineage
    public const string Breeding = "Breeding";
    public const string GenerationInFlight = "GenerationInFlight";
    public const string SuspendedBySpec = "SuspendedBySpec";
    public const string NoImprovement = "NoImprovement";
    public const string MaxGenerationsReached = "MaxGenerationsReached";
    public const string BaseNotPromoted = "BaseNotPromoted";
    public const string NoStorage = "NoStorage";
    public const string Born = "Born";
    public const string GenerationPromoted = "GenerationPromoted";
    public const string GenerationRejected = "GenerationRejected";
    public const string GenerationFailed = "GenerationFailed";

    // Any kind
    public const string InvalidSpec = "InvalidSpec";

    // Events
    public const string PhaseChanged = "PhaseChanged";
}
