namespace Lineage.Trainer.Training;

/// <summary>One supervised example as token ids: the prompt (no loss) and the completion (loss), EOS included.</summary>
public sealed record SftExample(int[] Prompt, int[] Completion)
{
    public int Length => Prompt.Length + Completion.Length;
}
