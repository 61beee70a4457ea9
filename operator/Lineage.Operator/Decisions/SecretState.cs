namespace Lineage.Operator.Decisions;

/// <summary>Whether the storage Secret a pod will read exists and holds both keys.</summary>
public enum SecretState { NotNeeded, Found, Missing, KeyMissing }
