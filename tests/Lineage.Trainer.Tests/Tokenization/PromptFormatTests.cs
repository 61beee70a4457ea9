using Lineage.Trainer.Tokenization;
using Xunit;

namespace Lineage.Trainer.Tests.Tokenization;

public sealed class PromptFormatTests
{
    static readonly ByteLevelBpeTokenizer Tokenizer = BuiltInTokenizer.Create();

    [Fact]
    public void Plain_prompt_and_think_completion_split_where_the_answer_starts()
    {
        var example = PromptFormat.Plain.Tokenize(Tokenizer, "12+34", "2+4=6, 1+3=4", "46");

        Assert.Equal("Q: 12+34\nA: ", Tokenizer.Decode(example.PromptIds));
        Assert.Equal("<think>2+4=6, 1+3=4</think><answer>46</answer><|endoftext|>", Tokenizer.Decode(example.CompletionIds));
        Assert.Equal(Tokenizer.EosId, example.CompletionIds[^1]);
        Assert.Equal(PromptFormat.Plain.PromptIds(Tokenizer, "12+34"), example.PromptIds);
    }

    [Fact]
    public void ChatMl_wraps_the_problem_in_turns_and_ends_on_im_end()
    {
        var example = PromptFormat.ChatMl.Tokenize(Tokenizer, "12+34", null, "46");

        Assert.Equal("<|im_start|>user\n12+34<|im_end|>\n<|im_start|>assistant\n", Tokenizer.Decode(example.PromptIds));
        Assert.Equal(Tokenizer.SpecialTokenId("<|im_end|>"), example.CompletionIds[^1]);
        Assert.Equal("<think></think><answer>46</answer>", Tokenizer.Decode(example.CompletionIds.SkipLast(1)));
    }

    [Fact]
    public void The_format_follows_the_tokenizers_special_tokens()
    {
        Assert.Equal(PromptFormat.ChatMl, PromptFormat.For(Tokenizer));
        Assert.Equal(PromptFormat.Plain, PromptFormat.For(Tokenizer, preferChat: false));
    }
}
