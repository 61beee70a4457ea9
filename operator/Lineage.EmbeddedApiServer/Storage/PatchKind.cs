namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>The PATCH flavours, by Content-Type.</summary>
internal enum PatchKind { Merge, StrategicMerge, Json, Apply }
