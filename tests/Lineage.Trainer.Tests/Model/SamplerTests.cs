using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Sampling;
using Lineage.Trainer.Tests.Model;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Sampling;

public sealed class SamplerTests
{
    static readonly StopCriteria NoStop = new(new HashSet<int>(), [], ids => string.Concat(ids.Select(i => (char)('a' + i))));

    static CausalLM Model() => TinyModels.WithFixedWeights(TinyModels.Config(layers: 2, vocab: 17));

    static List<Completion> Generate(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, SamplingConfig s, long seed, bool cache = true, StopCriteria? stop = null) =>
        Sampler.Generate(model, prompts, s, stop ?? NoStop, new Generator().manual_seed(seed), padId: 0, useCache: cache);

    [Fact]
    public void Kv_cache_decoding_equals_recomputing_the_prefix()
    {
        using var model = Model();
        var prompts = new List<IReadOnlyList<int>> { new[] { 3, 5, 7 }, new[] { 2, 9, 4, 4, 1, 8 } };
        var greedy = new SamplingConfig { Temperature = 0, MaxNewTokens = 12 };
        var cached = Generate(model, prompts, greedy, 1);
        var recomputed = Generate(model, prompts, greedy, 1, cache: false);
        for (int b = 0; b < prompts.Count; b++) Assert.Equal(recomputed[b].Tokens, cached[b].Tokens);

        var sampled = new SamplingConfig { Temperature = 1.0, MaxNewTokens = 12 };
        var a = Generate(model, prompts, sampled, 5);
        var c = Generate(model, prompts, sampled, 5, cache: false);
        for (int b = 0; b < prompts.Count; b++) Assert.Equal(c[b].Tokens, a[b].Tokens);
    }

    [Fact]
    public void A_prompt_decodes_the_same_alone_and_left_padded_in_a_batch()
    {
        using var model = Model();
        var shortPrompt = new[] { 3, 5 };
        var greedy = new SamplingConfig { Temperature = 0, MaxNewTokens = 10 };
        var alone = Generate(model, [shortPrompt], greedy, 1)[0];
        var batched = Generate(model, [new[] { 9, 9, 1, 2, 3, 4, 6 }, shortPrompt], greedy, 1)[1];
        Assert.Equal(alone.Tokens, batched.Tokens);
    }

    [Fact]
    public void Sampling_is_deterministic_under_a_seed_and_varies_across_seeds()
    {
        using var model = Model();
        var prompts = Enumerable.Range(0, 4).Select(i => (IReadOnlyList<int>)new[] { 1 + i, 2 }).ToList();
        var s = new SamplingConfig { Temperature = 1.5, MaxNewTokens = 16 };
        var first = Generate(model, prompts, s, 42).Select(c => c.Tokens).ToList();
        var again = Generate(model, prompts, s, 42).Select(c => c.Tokens).ToList();
        var other = Generate(model, prompts, s, 43).Select(c => c.Tokens).ToList();
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Top_k_one_is_greedy()
    {
        using var model = Model();
        var prompts = new List<IReadOnlyList<int>> { new[] { 4, 2, 8 } };
        var greedy = Generate(model, prompts, new SamplingConfig { Temperature = 0, MaxNewTokens = 8 }, 1)[0].Tokens;
        var topK = Generate(model, prompts, new SamplingConfig { Temperature = 2.0, TopK = 1, MaxNewTokens = 8 }, 7)[0].Tokens;
        var topP = Generate(model, prompts, new SamplingConfig { Temperature = 1.0, TopP = 1e-6, MaxNewTokens = 8 }, 7)[0].Tokens;
        Assert.Equal(greedy, topK);
        Assert.Equal(greedy, topP);
    }

    [Fact]
    public void Stop_strings_and_eos_end_a_sequence_and_the_budget_truncates()
    {
        using var model = Model();
        var prompts = new List<IReadOnlyList<int>> { new[] { 3, 5, 7 } };
        var greedy = new SamplingConfig { Temperature = 0, MaxNewTokens = 12 };
        var free = Generate(model, prompts, greedy, 1)[0];
        Assert.True(free.Truncated);
        Assert.Equal(12, free.Tokens.Length);

        // Stop as soon as the decoded text ends with the 3rd and 4th tokens.
        string Decode(IReadOnlyList<int> ids) => string.Concat(ids.Select(i => (char)('a' + i)));
        var stopString = Decode(free.Tokens[2..4]);
        var stopped = Generate(model, prompts, greedy, 1, stop: new StopCriteria(new HashSet<int>(), [stopString], Decode))[0];
        Assert.False(stopped.Truncated);
        Assert.EndsWith(stopString, Decode(stopped.Tokens));
        Assert.True(stopped.Tokens.Length <= 4);

        var eosAtFifth = Generate(model, prompts, greedy, 1, stop: new StopCriteria(new HashSet<int> { free.Tokens[4] }, [], Decode))[0];
        Assert.True(eosAtFifth.EndedWithEos);
        Assert.DoesNotContain(free.Tokens[4], eosAtFifth.Tokens);
    }
}
