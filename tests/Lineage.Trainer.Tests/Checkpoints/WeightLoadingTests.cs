using Xunit;
using Lineage.Trainer.Checkpoints;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Checkpoints;

public sealed class WeightLoadingTests
{
    static Dictionary<string, Tensor> Weights(int vocab = 5, int hidden = 3, bool head = true)
    {
        var weights = new Dictionary<string, Tensor>
        {
            ["model.embed_tokens.weight"] = arange(vocab * hidden, dtype: ScalarType.Float32).reshape(vocab, hidden),
            ["model.norm.weight"] = full(hidden, 0.5f),
        };
        if (head) weights["lm_head.weight"] = full(vocab, hidden, -1f);
        return weights;
    }

    [Fact]
    public void Copies_every_weight_by_name()
    {
        using var model = new TinyCausalLm(5, 3);
        var weights = Weights();

        var report = WeightLoading.LoadInto(model, weights, tied: false);

        Assert.True(report.IsComplete);
        Assert.Equal(["lm_head.weight", "model.embed_tokens.weight", "model.norm.weight"], report.Loaded.Order());
        var state = model.state_dict();
        foreach (var (name, tensor) in weights) TensorAssert.Identical(tensor, state[name], name);
    }

    [Fact]
    public void Missing_and_unexpected_names_are_listed_and_nothing_is_copied()
    {
        using var model = new TinyCausalLm(5, 3);
        var before = model.state_dict()["model.embed_tokens.weight"].clone();
        var weights = Weights();
        weights.Remove("model.norm.weight");
        weights["model.layers.0.mlp.up_proj.weight"] = zeros(4, 3);

        var error = Assert.Throws<InvalidDataException>(() => WeightLoading.LoadInto(model, weights, tied: false));

        Assert.Contains("missing: [model.norm.weight]", error.Message);
        Assert.Contains("unexpected: [model.layers.0.mlp.up_proj.weight]", error.Message);
        TensorAssert.Identical(before, model.state_dict()["model.embed_tokens.weight"]);
    }

    [Fact]
    public void Shape_mismatches_name_both_shapes()
    {
        using var model = new TinyCausalLm(5, 3);

        var error = Assert.Throws<InvalidDataException>(() => WeightLoading.LoadInto(model, Weights(vocab: 7), tied: false));

        Assert.Contains("model.embed_tokens.weight: checkpoint [7, 3] vs model [5, 3]", error.Message);
    }

    [Fact]
    public void Non_strict_loading_returns_the_report_and_copies_what_matches()
    {
        using var model = new TinyCausalLm(5, 3);
        var weights = Weights();
        weights.Remove("lm_head.weight");

        var report = WeightLoading.LoadInto(model, weights, tied: false, strict: false);

        Assert.Equal(["lm_head.weight"], report.Missing);
        Assert.Equal(2, report.Loaded.Count);
        TensorAssert.Identical(full(3, 0.5f), model.state_dict()["model.norm.weight"]);
    }

    [Fact]
    public void Tied_embeddings_fill_an_absent_lm_head_from_the_embedding()
    {
        using var model = new TinyCausalLm(5, 3);

        var report = WeightLoading.LoadInto(model, Weights(head: false), tied: true);

        Assert.True(report.IsComplete);
        var state = model.state_dict();
        TensorAssert.Identical(state["model.embed_tokens.weight"], state["lm_head.weight"]);
    }

    [Fact]
    public void Tied_model_without_a_head_ignores_a_stored_lm_head()
    {
        using var model = new TinyCausalLm(5, 3, withHead: false);

        var report = WeightLoading.LoadInto(model, Weights(head: true), tied: true);

        Assert.True(report.IsComplete);
        Assert.DoesNotContain("lm_head.weight", report.Loaded);
    }

    [Fact]
    public void An_untied_model_reports_a_stored_lm_head_it_does_not_have()
    {
        using var model = new TinyCausalLm(5, 3, withHead: false);

        var report = WeightLoading.LoadInto(model, Weights(head: true), tied: false, strict: false);

        Assert.Equal(["lm_head.weight"], report.Unexpected);
    }
}
