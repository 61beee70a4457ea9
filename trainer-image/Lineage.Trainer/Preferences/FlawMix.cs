namespace Lineage.Trainer.Preferences;

/// <summary>
/// How often each <see cref="Flaw"/> is drawn: wrong work 40 % (the policy's own kind of mistake, which a judge
/// or reward model can only catch by redoing the work), the other three 20 % each.
/// </summary>
public static class FlawMix
{
    public static Flaw Draw(Random random) => random.NextDouble() switch
    {
        < 0.4 => Flaw.WrongWork,
        < 0.6 => Flaw.WrongAnswer,
        < 0.8 => Flaw.BrokenFormat,
        _ => Flaw.Truncated,
    };
}
