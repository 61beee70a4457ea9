namespace Lineage.Trainer.Preferences;

/// <summary>
/// One preference: for <see cref="Prompt"/> (the problem text; the model's prompt format wraps it),
/// <see cref="Chosen"/> is the better completion and <see cref="Rejected"/> the worse.
/// </summary>
public sealed record PreferencePair(string Prompt, string Chosen, string Rejected, string? Id = null);
