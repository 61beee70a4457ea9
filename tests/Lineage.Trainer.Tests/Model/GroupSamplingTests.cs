using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Sampling;
using Lineage.Trainer.Tests.Model;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Sampling;

public sealed class GroupSamplingTests
{
    static string Decode(IReadOnlyList<int> ids) => string.Concat(ids.Select(i => (char)('a' + i)));
    static readonly StopCriteria NoStop = new(new HashSet<int>(), [], Decode);
    static readonly SamplingConfig Greedy = new() { Temperature = 0, MaxNewTokens = 12 };

    // Two query heads share one key/value head: the grouped-query path is exercised.
    static CausalLM Model() => TinyModels.WithFixedWeights(TinyModels.Config(layers: 2, vocab: 17));

    static readonly IReadOnlyList<int>[] Prompts = [new[] { 3, 5, 7 }, new[] { 2, 9, 4, 4, 1, 8 }, new[] { 6 }, new[] { 1, 1, 2, 3, 5 }];

    static List<Completion> Groups(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, int n, SamplingConfig s, long seed = 1, StopCriteria? stop = null) =>
        Sampler.GenerateGroups(model, prompts, n, s, stop ?? NoStop, new Generator().manual_seed(seed), padId: 0);

    [Fact]
    public void Greedy_group_sampling_gives_the_tokens_of_the_recomputing_reference_and_of_each_prompt_decoded_alone()
    {
        using var model = Model();
        var groups = Groups(model, Prompts, 3, Greedy);
        Assert.Equal(Prompts.Length * 3, groups.Count);
        for (int p = 0; p < Prompts.Length; p++)
        {
            var reference = Sampler.Generate(model, [Prompts[p]], Greedy, NoStop, new Generator().manual_seed(1), padId: 0, useCache: false)[0];
            var alone = Groups(model, [Prompts[p]], 1, Greedy)[0];
            Assert.Equal(reference.Tokens, alone.Tokens);
            for (int s = 0; s < 3; s++) Assert.Equal(reference.Tokens, groups[p * 3 + s].Tokens);
        }
    }

    [Fact]
    public void Prompts_of_different_lengths_in_one_batch_decode_as_if_alone()
    {
        using var model = Model();
        var batched = Groups(model, Prompts, 2, Greedy);
        var reversed = Groups(model, Prompts.Reverse().ToList(), 2, Greedy);
        for (int p = 0; p < Prompts.Length; p++)
        {
            var alone = Groups(model, [Prompts[p]], 2, Greedy);
            Assert.Equal(alone[0].Tokens, batched[2 * p].Tokens);
            Assert.Equal(alone[1].Tokens, batched[2 * p + 1].Tokens);
            Assert.Equal(alone[0].Tokens, reversed[2 * (Prompts.Length - 1 - p)].Tokens);
        }
        // The prompts really decode differently, so a mix-up of rows would show.
        Assert.True(batched.Select(c => Decode(c.Tokens)).Distinct().Count() > 1);
    }

    [Fact]
    public void Samples_of_one_group_differ_at_temperature_above_zero_and_repeat_under_the_same_seed()
    {
        using var model = Model();
        var hot = new SamplingConfig { Temperature = 1.5, MaxNewTokens = 10 };
        // Rows end on token 4 at different steps, so the batch also shrinks along the way.
        var stop = new StopCriteria(new HashSet<int> { 4 }, [], Decode);
        var first = Groups(model, Prompts.Take(2).ToList(), 8, hot, seed: 42, stop).Select(c => Decode(c.Tokens)).ToList();
        var again = Groups(model, Prompts.Take(2).ToList(), 8, hot, seed: 42, stop).Select(c => Decode(c.Tokens)).ToList();
        var other = Groups(model, Prompts.Take(2).ToList(), 8, hot, seed: 43, stop).Select(c => Decode(c.Tokens)).ToList();
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.True(first.Take(8).Distinct().Count() > 4, "the 8 samples of the first prompt should mostly differ: " + string.Join(" ", first.Take(8)));
        Assert.True(first.Skip(8).Distinct().Count() > 4, "the 8 samples of the second prompt should mostly differ: " + string.Join(" ", first.Skip(8)));
    }

    [Fact]
    public void Group_sampling_at_temperature_draws_what_repeating_each_prompt_draws()
    {
        // Sharing the prefill changes nothing a row sees: the same draws in the same row order give the same samples.
        using var model = Model();
        var hot = new SamplingConfig { Temperature = 1.0, MaxNewTokens = 10 };
        var shared = Groups(model, Prompts, 4, hot, seed: 7);
        var repeated = Sampler.Generate(model, Prompts.SelectMany(p => Enumerable.Repeat(p, 4)).ToList(), hot, NoStop, new Generator().manual_seed(7), padId: 0, useCache: false);
        Assert.Equal(repeated.Select(c => c.Tokens), shared.Select(c => c.Tokens));
    }

    [Fact]
    public void Eos_and_stop_strings_end_each_row_on_its_own_and_the_other_rows_run_to_the_budget()
    {
        using var model = Model();
        IReadOnlyList<int>[] prompts = [.. Prompts, new[] { 9, 8 }, new[] { 12, 14, 2 }, new[] { 15 }, new[] { 4, 4, 4, 4 }];
        var free = Groups(model, prompts, 2, Greedy);
        // The token that ends the most rows while at least one row never emits it: most rows finish at different
        // steps (so finished rows leave the batch), one runs to the budget.
        int eos = Enumerable.Range(0, 17).Where(t => free.Any(c => !c.Tokens.Contains(t))).MaxBy(t => free.Count(c => c.Tokens.Contains(t)));
        var ended = Groups(model, prompts, 2, Greedy, stop: new StopCriteria(new HashSet<int> { eos }, [], Decode));
        Assert.True(ended.Count(c => c.EndedWithEos) > free.Count / 2, "most rows should end early");
        Assert.Contains(ended, c => c.Truncated);
        for (int i = 0; i < free.Count; i++)
        {
            int at = Array.IndexOf(free[i].Tokens, eos);
            Assert.Equal(at >= 0 ? free[i].Tokens[..at] : free[i].Tokens, ended[i].Tokens);
            Assert.Equal(at >= 0, ended[i].EndedWithEos);
            Assert.Equal(at < 0, ended[i].Truncated);
        }

        // A stop string: each row keeps the shortest prefix whose text ends with it, the string included.
        var pairs = free.SelectMany(c => Enumerable.Range(0, c.Tokens.Length - 1).Select(i => Decode(c.Tokens[i..(i + 2)]))).Distinct();
        string stopString = pairs.Where(p => free.Any(c => !Decode(c.Tokens).Contains(p))).MaxBy(p => free.Count(c => Decode(c.Tokens).Contains(p)))!;
        var stopped = Groups(model, prompts, 2, Greedy, stop: new StopCriteria(new HashSet<int>(), [stopString], Decode));
        Assert.True(stopped.Count(c => !c.Truncated) > free.Count / 2, "most rows should stop early");
        Assert.Contains(stopped, c => c.Truncated);
        for (int i = 0; i < free.Count; i++)
        {
            int end = Enumerable.Range(1, free[i].Tokens.Length).FirstOrDefault(n => Decode(free[i].Tokens[..n]).EndsWith(stopString, StringComparison.Ordinal));
            Assert.Equal(end > 0 ? free[i].Tokens[..end] : free[i].Tokens, stopped[i].Tokens);
            Assert.Equal(end == 0, stopped[i].Truncated);
            Assert.False(stopped[i].EndedWithEos);
        }
    }

    [Fact]
    public void A_group_decodes_its_whole_budget_inside_the_cache_it_preallocated()
    {
        // KvCache throws instead of growing: decoding every step of a long budget proves the capacity was enough.
        using var model = Model();
        var longBudget = new SamplingConfig { Temperature = 1.0, MaxNewTokens = 40 };
        var completions = Groups(model, Prompts, 3, longBudget);
        Assert.All(completions, c => Assert.Equal(40, c.Tokens.Length));
        Assert.All(completions, c => Assert.True(c.Truncated));
    }

    [Fact]
    public void Samples_per_prompt_below_one_is_an_error_naming_it()
    {
        using var model = Model();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Groups(model, Prompts, 0, Greedy));
        Assert.Equal("samplesPerPrompt", error.ParamName);
    }
}
