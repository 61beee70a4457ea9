using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Tokenization;

/// <summary>
/// How a problem becomes model input. Chosen from the tokenizer's special tokens so a pretrained chat model sees the
/// template it was tuned on:
/// <list type="bullet">
/// <item>ChatML (Qwen2, and the built-in tokenizer when asked): <c>&lt;|im_start|&gt;user\n{problem}&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n</c></item>
/// <item>Llama 3: <c>&lt;|start_header_id|&gt;user&lt;|end_header_id|&gt;\n\n{problem}&lt;|eot_id|&gt;&lt;|start_header_id|&gt;assistant&lt;|end_header_id|&gt;\n\n</c>, after bos</item>
/// <item>Plain (the built-in tokenizer's default): <c>Q: {problem}\nA: </c> — short, so tiny models spend no capacity on it.</item>
/// </list>
/// The completion is always <see cref="ThinkFormat.Render"/> followed by the eos token.
/// </summary>
public sealed record PromptFormat(PromptStyle Style)
{
    public static readonly PromptFormat Plain = new(PromptStyle.Plain);
    public static readonly PromptFormat ChatMl = new(PromptStyle.ChatMl);
    public static readonly PromptFormat Llama3 = new(PromptStyle.Llama3);

    /// <summary>Llama 3's template when its header tokens exist, ChatML when &lt;|im_start|&gt; exists and
    /// <paramref name="preferChat"/>, else Plain.</summary>
    public static PromptFormat For(ITextTokenizer tokenizer, bool preferChat = true)
    {
        if (tokenizer.SpecialTokenId("<|start_header_id|>") is not null && tokenizer.SpecialTokenId("<|eot_id|>") is not null) return Llama3;
        if (preferChat && tokenizer.SpecialTokenId(BuiltInTokenizer.ImStart) is not null && tokenizer.SpecialTokenId(BuiltInTokenizer.ImEnd) is not null) return ChatMl;
        return Plain;
    }

    /// <summary>The prompt text ending where the model starts writing.</summary>
    public string Prompt(string problem) => Style switch
    {
        PromptStyle.ChatMl => $"<|im_start|>user\n{problem}<|im_end|>\n<|im_start|>assistant\n",
        PromptStyle.Llama3 => $"<|start_header_id|>user<|end_header_id|>\n\n{problem}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
        _ => $"Q: {problem}\nA: ",
    };

    /// <summary>Prompt and completion ids for training; the loss mask covers exactly <see cref="Example.CompletionIds"/>.</summary>
    public Example Tokenize(ITextTokenizer tokenizer, string problem, string? reasoning, string answer)
    {
        var prompt = new List<int>();
        if (Style == PromptStyle.Llama3 && tokenizer.BosId is int bos) prompt.Add(bos);
        prompt.AddRange(tokenizer.Encode(Prompt(problem)));
        var completion = new List<int>(tokenizer.Encode(ThinkFormat.Render(reasoning, answer))) { EndOfTurn(tokenizer) };
        return new Example(prompt, completion);
    }

    /// <summary>Prompt ids for generation (bos included where the template wants it).</summary>
    public IReadOnlyList<int> PromptIds(ITextTokenizer tokenizer, string problem)
    {
        var ids = new List<int>();
        if (Style == PromptStyle.Llama3 && tokenizer.BosId is int bos) ids.Add(bos);
        ids.AddRange(tokenizer.Encode(Prompt(problem)));
        return ids;
    }

    /// <summary>The id that ends the completion: the chat template's end of turn, else eos. Sampling stops on it.</summary>
    public int EndOfTurn(ITextTokenizer tokenizer) => Style switch
    {
        PromptStyle.ChatMl => tokenizer.SpecialTokenId(BuiltInTokenizer.ImEnd) ?? tokenizer.EosId,
        PromptStyle.Llama3 => tokenizer.SpecialTokenId("<|eot_id|>") ?? tokenizer.EosId,
        _ => tokenizer.EosId,
    };

    public sealed record Example(IReadOnlyList<int> PromptIds, IReadOnlyList<int> CompletionIds);
}

public enum PromptStyle { Plain, ChatMl, Llama3 }
