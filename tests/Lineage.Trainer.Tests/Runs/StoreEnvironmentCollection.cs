namespace Lineage.Trainer.Tests.Runs;

/// <summary>
/// Tests that point the trainer at their own S3 server through the process-wide variables of
/// <see cref="S3RunEnvironment"/>: they run one after another, never in parallel, or one would write to the other's server.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StoreEnvironmentCollection
{
    public const string Name = "trainer store environment";
}
