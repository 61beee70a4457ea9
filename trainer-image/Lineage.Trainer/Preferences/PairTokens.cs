using Lineage.Trainer.Training;

namespace Lineage.Trainer.Preferences;

/// <summary>A preference pair as token ids: the shared prompt and each completion (end of turn included when it ended).</summary>
public sealed record PairTokens(int[] Prompt, int[] Chosen, int[] Rejected)
{
    public SftExample ChosenExample => new(Prompt, Chosen);
    public SftExample RejectedExample => new(Prompt, Rejected);
}
