namespace Lineage.Trainer.Tokenization;

/// <summary>The tokenizer the trainer uses: text to ids and back, with the ids of the special roles.</summary>
public interface ITextTokenizer
{
    /// <summary>Number of ids (model vocabulary plus added tokens); the embedding needs at least this many rows.</summary>
    int VocabSize { get; }
    int EosId { get; }
    /// <summary>Id used to pad batches; the eos id when the tokenizer defines no pad token.</summary>
    int PadId { get; }
    int? BosId { get; }

    /// <summary>Ids of <paramref name="text"/>; special tokens written in the text (e.g. "&lt;think&gt;") become their single id.
    /// No bos/eos is added: prompt formats add what they need.</summary>
    IReadOnlyList<int> Encode(string text);

    /// <summary>Text of <paramref name="ids"/>; special tokens are written out unless <paramref name="skipSpecialTokens"/>.</summary>
    string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false);

    /// <summary>The id of a special (added) token such as "&lt;|im_start|&gt;", or null when the tokenizer has none.</summary>
    int? SpecialTokenId(string token);

    /// <summary>Writes tokenizer.json and tokenizer_config.json into <paramref name="directory"/>.</summary>
    void Save(string directory);
}
