namespace Lineage.Contracts.Config;

/// <summary>Collects field errors as "path: problem" so one bad config reports all its faults at once.</summary>
public sealed class Validation
{
    readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public void Require(bool ok, string field, string problem)
    {
        if (!ok) _errors.Add($"{field}: {problem}");
    }

    public void Positive(double value, string field) => Require(value > 0, field, $"must be > 0 (got {value})");
    public void NonNegative(double value, string field) => Require(value >= 0, field, $"must be >= 0 (got {value})");
    public void InRange(double value, double min, double max, string field) =>
        Require(value >= min && value <= max, field, $"must be in [{min}, {max}] (got {value})");
    public void NotEmpty(string? value, string field) => Require(!string.IsNullOrWhiteSpace(value), field, "is required");
    public void OneOf(string value, IReadOnlyCollection<string> allowed, string field) =>
        Require(allowed.Contains(value), field, $"must be one of {string.Join(", ", allowed)} (got '{value}')");

    public void ThrowIfAny(string source)
    {
        if (_errors.Count > 0) throw new ConfigError($"{source}: invalid config:\n  " + string.Join("\n  ", _errors));
    }
}

/// <summary>A config record that can check itself; field paths are prefixed by the caller.</summary>
public interface IValidated
{
    void Validate(Validation v, string path);
}
