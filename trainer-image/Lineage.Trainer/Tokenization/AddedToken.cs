namespace Lineage.Trainer.Tokenization;

/// <summary>An entry of tokenizer.json's added_tokens: matched as one id wherever its text appears.</summary>
public sealed record AddedToken(int Id, string Content, bool Special = true);
