namespace Lineage.Trainer.Distillation;

/// <summary>
/// How much of the teacher's test-time gain the student answers greedily: (student − teacher greedy) /
/// (teacher with strategy − teacher greedy), all on the same held-out problems. 1 = all of it, 0 = none, negative = the
/// student is worse than the teacher's greedy answers; undefined (null) when the strategy gained nothing (denominator ≤ 0).
/// </summary>
public static class Internalisation
{
    public static double? Of(double student, double teacherGreedy, double teacherWithStrategy)
    {
        double gain = teacherWithStrategy - teacherGreedy;
        return gain <= 0 ? null : (student - teacherGreedy) / gain;
    }
}
