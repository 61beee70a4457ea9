namespace Lineage.Trainer.Preferences;

/// <summary>What makes a synthetic completion worse than the reference trace.</summary>
public enum Flaw
{
    /// <summary>The reasoning is right but the final answer is not.</summary>
    WrongAnswer,
    /// <summary>The answer is right but the think format is broken (no think block, no answer tags, unclosed answer).</summary>
    BrokenFormat,
    /// <summary>Cut off inside the reasoning, as a rollout that ran out of tokens.</summary>
    Truncated,
    /// <summary>One step of the reasoning is wrong and the rest follows from it, so the answer agrees with the
    /// (wrong) work: the mistake a policy makes, which only redoing the work catches.</summary>
    WrongWork,
}
