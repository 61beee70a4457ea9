using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Sampling;
using Lineage.Trainer.Tasks;
using static TorchSharp.torch;

namespace Lineage.Trainer.Grpo;

/// <summary>G completions per prompt from the current policy, laid out group by group: each prompt is prefilled once
/// and its G samples decode together with every other prompt's.</summary>
public static class RolloutSampler
{
    public static List<Rollout> Sample(PretrainedModel policy, IReadOnlyList<Problem> problems, int groupSize, SamplingConfig sampling, Generator generator,
        StopCriteria? stop = null)
    {
        stop ??= policy.Stop(sampling);
        int endOfTurn = policy.Format.EndOfTurn(policy.Tokenizer);
        var prompts = problems.Select(p => policy.PromptIds(p).ToArray()).ToList();
        var completions = Sampler.GenerateGroups(policy.Model, prompts, groupSize, sampling, stop, generator, policy.Tokenizer.PadId);
        var rollouts = new List<Rollout>(completions.Count);
        for (int i = 0; i < completions.Count; i++)
        {
            var c = completions[i];
            // The sampler drops the eos it stopped on; the policy chose it, so the loss trains it (learning to stop).
            int[] trained = c.EndedWithEos ? [.. c.Tokens, endOfTurn] : c.Tokens;
            rollouts.Add(new Rollout(problems[i / groupSize], prompts[i / groupSize], trained, policy.Decode(c.Tokens), c.Tokens.Length, c.Truncated));
        }
        return rollouts;
    }
}
