using Lineage.EmbeddedApiServer.Selectors;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>Which objects a list or watch sees: a namespace (or all), a label selector and a field selector.</summary>
internal sealed record WatchFilter(string? Namespace, LabelSelector Labels, FieldSelector Fields)
{
    public bool Matches(StoredObject obj) =>
        (Namespace is null || obj.Namespace == Namespace) && Labels.Matches(obj.Labels) && Fields.Matches(obj);
}
