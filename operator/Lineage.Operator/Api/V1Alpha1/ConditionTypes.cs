namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>The condition types Lineage sets. Each is True, False or Unknown with a reason from <see cref="Reasons"/>.</summary>
public static class ConditionTypes
{
    /// <summary>Generation: the input model is known (parent Promoted in the same lineage, or a base URI).</summary>
    public const string ParentReady = "ParentReady";
    /// <summary>Generation and runs: the storage Secret exists with both keys.</summary>
    public const string StorageReady = "StorageReady";
    /// <summary>Generation: the training run succeeded (or there is nothing to train).</summary>
    public const string Trained = "Trained";
    /// <summary>Generation: the evaluation Job succeeded and its result was read.</summary>
    public const string Evaluated = "Evaluated";
    /// <summary>Generation: the gate passed (and, in manual mode, approval was given).</summary>
    public const string Promoted = "Promoted";
    /// <summary>Generation (GRPO with a checked judge term): the judge's pick beat a random sample, so the run trains with it;
    /// False: it did not, and the run trained on the verifiable reward.</summary>
    public const string JudgeQualified = "JudgeQualified";
    /// <summary>Runs: the trainer's Job has an active pod.</summary>
    public const string Running = "Running";
    /// <summary>Runs: the Job completed.</summary>
    public const string Succeeded = "Succeeded";
    /// <summary>Lineage: breeding (a generation is in flight or the next one is due).</summary>
    public const string Growing = "Growing";
    /// <summary>Lineage: spec.suspend holds breeding.</summary>
    public const string Suspended = "Suspended";
    /// <summary>Lineage: the stopping rule ended it (patience generations without enough improvement).</summary>
    public const string Plateaued = "Plateaued";
    /// <summary>Lineage: maxGenerations were bred.</summary>
    public const string Complete = "Complete";
    /// <summary>Generation and runs: something failed for good; the reason says what.</summary>
    public const string Failed = "Failed";
}
