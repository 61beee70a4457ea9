namespace Lineage.Operator.Tests.Runtime;

/// <summary>A clock that stands still unless the test moves it (timers still run on real time).</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}
