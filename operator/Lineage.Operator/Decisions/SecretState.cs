namespace Lineage.Operator.Decisions;

/// <summary>Whether the storage Secret a pod will read exists and holds both keys (Forbidden: the operator may not read it,
/// e.g. the chart's rbac.secretNames does not list it).</summary>
public enum SecretState { NotNeeded, Found, Missing, KeyMissing, Forbidden }
