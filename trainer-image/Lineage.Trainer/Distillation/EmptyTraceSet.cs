namespace Lineage.Trainer.Distillation;

/// <summary>A distillation whose filter kept no trace: the run fails before anything is published, instead of training on nothing.</summary>
public sealed class EmptyTraceSet(string message) : Exception(message);
