namespace Lineage.Store.Tests.Support;

/// <summary>One s3rver process shared by the tests that do not stop it.</summary>
[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverServer>
{
    public const string Name = "s3rver";
}
