using Lineage.Trainer.Rewards;
using Xunit;

namespace Lineage.Trainer.Tests.Rewards;

public sealed class FormatCheckTests
{
    [Theory]
    [InlineData("<think>7+5+0=12</think><answer>632</answer>")]
    [InlineData("<think></think><answer>632</answer>")]
    [InlineData("  <think>a\nb</think>\n\n<answer>632</answer>\n")]
    [InlineData("<think>a</think><answer>632</answer><|endoftext|>")]
    [InlineData("<think>a</think><answer>632</answer>\n</s>\n")]
    public void Accepts_one_think_then_one_answer_with_whitespace_and_an_end_marker(string completion)
    {
        Assert.True(FormatCheck.IsWellFormed(completion));
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
        Assert.False(FormatCheck.IsWellFormed(completion), why);
    }

    [Fact]
    public void Custom_end_markers_replace_the_defaults()
    {
        Assert.True(FormatCheck.IsWellFormed("<think>a</think><answer>1</answer><END>", ["<END>"]));
        Assert.False(FormatCheck.IsWellFormed("<think>a</think><answer>1</answer></s>", ["<END>"]));
    }
}
