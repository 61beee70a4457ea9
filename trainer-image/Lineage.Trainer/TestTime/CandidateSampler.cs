using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Sampling;
using static TorchSharp.torch;

namespace Lineage.Trainer.TestTime;

/// <summary>
/// The one place test-time compute generates: N completions per prompt, prompts decoded together in batches of
/// <paramref name="batchSize"/> sequences, from one seeded generator (the same calls give the same candidates).
/// </summary>
public sealed class CandidateSampler(int batchSize, long seed) : IDisposable
{
    // Made on the device of the first model sampled: a generator draws only for tensors on its own device.
    Generator? generator;

    /// <summary>candidates[p] are the <paramref name="perPrompt"/> completions of prompts[p], in sampling order.</summary>
    public List<List<Candidate>> Sample(PretrainedModel model, IReadOnlyList<IReadOnlyList<int>> prompts, int perPrompt, SamplingConfig sampling,
        CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perPrompt);
        generator ??= new Generator(0, model.Model.Device).manual_seed(seed);
        var stop = model.Stop(sampling);
        var repeated = prompts.SelectMany(p => Enumerable.Repeat(p, perPrompt)).ToList();
        var flat = new List<Candidate>(repeated.Count);
        for (int start = 0; start < repeated.Count; start += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            var chunk = repeated.GetRange(start, Math.Min(batchSize, repeated.Count - start));
            foreach (var c in Sampler.Generate(model.Model, chunk, sampling, stop, generator, model.Tokenizer.PadId))
                flat.Add(new Candidate(model.Decode(c.Tokens), c.Tokens.Length, c.Truncated));
        }
        return Enumerable.Range(0, prompts.Count).Select(p => flat.GetRange(p * perPrompt, perPrompt)).ToList();
    }

    public void Dispose() => generator?.Dispose();
}
