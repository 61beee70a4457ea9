using Lineage.Store;

namespace Lineage.Trainer.Runs;

/// <summary>The trainer's synchronous edge for model inputs: a local folder as is, a store URI downloaded (verified, cached) first.</summary>
public static class ModelLocation
{
    public static string Materialize(string location, CancellationToken ct = default) =>
        ModelSource.MaterializeAsync(location, ct).GetAwaiter().GetResult();
}
