namespace Lineage.Contracts.Config;

/// <summary>A config that failed to load or validate; the message names the file and field.</summary>
public sealed class ConfigError(string message) : Exception(message);
