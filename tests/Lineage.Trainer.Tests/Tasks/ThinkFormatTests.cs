using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Tests.Tasks;

/// <summary>The think format: one place writes it, reads the final answer back and checks the shape.</summary>
public sealed class ThinkFormatTests
{
    [Fact]
    public void Renders_reasoning_then_answer_and_an_empty_think_block_without_reasoning()
    {
        Assert.Equal("<think>7+5+0=12</think><answer>12</answer>", ThinkFormat.Render("7+5+0=12", "12"));
        Assert.Equal("<think></think><answer>12</answer>", ThinkFormat.Render(null, "12"));
    }

    [Theory]
    [InlineData("<think>x</think><answer>632</answer>", "632")]
    [InlineData("<think>a</think><answer> 46 </answer><|endoftext|>", "46")]
    [InlineData("<answer>1</answer> then <answer> 2 </answer>", "2")]
    [InlineData("<think>maybe <answer>5</answer></think><answer>6</answer>", "6")]
    [InlineData("<answer>7</answer>", "7")]
    public void The_final_answer_is_the_last_closed_answer_block_trimmed(string completion, string expected)
    {
        Assert.Equal(expected, ThinkFormat.FinalAnswer(completion));
    }

    [Theory]
    [InlineData("<think>x</think>632")]
    [InlineData("<think>x</think><answer>632")]
    [InlineData("632</answer>")]
    [InlineData("<think>x</think><answer>  </answer>")]
    [InlineData("46")]
    public void A_completion_without_a_closed_non_blank_answer_block_has_no_answer(string completion)
    {
        Assert.Null(ThinkFormat.FinalAnswer(completion));
    }

    [Theory]
    [InlineData("<think>7+5+0=12</think><answer>632</answer>")]
    [InlineData("<think></think><answer>632</answer>")]
    [InlineData("  <think>a\nb</think>\n\n<answer>632</answer>\n")]
    [InlineData("<think>a</think><answer>632</answer><|endoftext|>")]
    [InlineData("<think>a</think><answer>632</answer>\n</s>\n")]
    public void Accepts_one_think_then_one_answer_with_whitespace_and_an_end_marker(string completion)
    {
        Assert.True(ThinkFormat.IsWellFormed(completion));
    }

    [Theory]
    [InlineData("<answer>632</answer>", "no think block")]
    [InlineData("<think>a</think>", "no answer block")]
    [InlineData("<answer>632</answer><think>a</think>", "wrong order")]
    [InlineData("<think>a</think><answer>632</answer> extra", "text after the answer")]
    [InlineData("intro <think>a</think><answer>632</answer>", "text before the think block")]
    [InlineData("<think>a</think>so<answer>632</answer>", "text between the blocks")]
    [InlineData("<think>a</think><answer>1</answer><answer>632</answer>", "two answers")]
    [InlineData("<think>a</think><think>b</think><answer>632</answer>", "two thinks")]
    [InlineData("<think>a<think>b</think><answer>632</answer>", "nested think")]
    [InlineData("<think>a</think><answer>  </answer>", "empty answer")]
    [InlineData("<think>a</think><answer>632", "cut off")]
    [InlineData("<think>a</think><answer>632</answer><|endoftext|><|endoftext|>", "two end markers")]
    public void Rejects_anything_else(string completion, string why)
    {
        Assert.False(ThinkFormat.IsWellFormed(completion), why);
    }

    [Fact]
    public void Custom_end_markers_replace_the_defaults()
    {
        Assert.True(ThinkFormat.IsWellFormed("<think>a</think><answer>1</answer><END>", ["<END>"]));
        Assert.False(ThinkFormat.IsWellFormed("<think>a</think><answer>1</answer></s>", ["<END>"]));
    }

    [Fact]
    public void A_well_formed_completion_parses_back_into_what_renders_it()
    {
        Assert.True(ThinkFormat.TryParse(" <think>47*5=235</think>\n<answer> 235 </answer><|endoftext|>", out string reasoning, out string answer));
        Assert.Equal(("47*5=235", "235"), (reasoning, answer));
        Assert.Equal("<think>47*5=235</think><answer>235</answer>", ThinkFormat.Render(reasoning, answer));
        Assert.False(ThinkFormat.TryParse("<answer>235</answer>", out _, out _));
    }

    [Fact]
    public void The_verifier_the_vote_and_the_format_read_the_same_answer()
    {
        // The answer a model tried inside its reasoning is not its final answer, for every reader.
        const string completion = "<think>maybe <answer>5</answer></think><answer>6</answer>";
        var problem = new Problem("p", "jsonl", "q", "6");
        Assert.True(Lineage.Trainer.Rewards.AnswerVerifier.IsCorrect(problem, completion));
        Assert.Equal("6", Lineage.Trainer.TestTime.MajorityVote.Of([ThinkFormat.FinalAnswer(completion)]).Answer);
    }
}
