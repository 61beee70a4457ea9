using Lineage.Contracts.Config;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.TestTime;
using Lineage.Trainer.Tests.Tasks;

namespace Lineage.Trainer.Tests.TestTime;

public sealed class SelfRefinementTests
{
    static readonly Problem Problem = MultiplicationTask.Create(47, 85);   // 47*5=235|47*80=3760|235+3760=3995

    [Fact]
    public void A_revision_round_reads_the_problem_and_the_attempt()
    {
        Assert.Equal("47*85= attempt: <think>w</think><answer>1</answer>", SelfRefinement.Prompt("47*85=", " <think>w</think><answer>1</answer>\n"));
    }

    [Fact]
    public void A_wrong_attempt_is_critiqued_by_redoing_the_work_and_corrected()
    {
        var (critique, answer) = SelfRefinement.Revision(Problem, "<think>47*5=225|47*80=3760|225+3760=3985</think><answer>3985</answer>");
        Assert.Equal("47*5=235|47*80=3760|235+3760=3995; got 3985: wrong; format ok", critique);
        Assert.Equal("3995", answer);
    }

    [Fact]
    public void A_right_attempt_keeps_its_answer()
    {
        var countdown = ProblemFixtures.Countdown(43, 7, 3, 12, 20);
        var (critique, answer) = SelfRefinement.Revision(countdown, "<think>x</think><answer>12*3+7</answer>");
        Assert.Contains("right", critique);
        Assert.Equal("12*3+7", answer);   // another correct expression stays
    }

    [Fact]
    public void A_revision_distils_to_its_redone_work_and_answer_in_the_direct_format()
    {
        string revision = "<think>47*5=235|47*80=3760|235+3760=3995; got 3985: wrong; format ok</think><answer>3995</answer>";
        Assert.Equal("<think>47*5=235|47*80=3760|235+3760=3995</think><answer>3995</answer>", SelfRefinement.DirectTrace(revision));
        Assert.Null(SelfRefinement.DirectTrace("<think>no critique here</think><answer>3995</answer>"));
        Assert.Null(SelfRefinement.DirectTrace("<think>47*5=235; got 3985: wrong"));
    }

    [Fact]
    public void Demonstrations_turn_the_configured_share_of_rows_into_revisions_half_of_them_of_wrong_attempts()
    {
        var data = new DataConfig { Task = "multiplication", Digits = 2, Count = 2000, RefineShare = 0.25 };
        var rows = ProblemSet.Load(data);
        var plain = ProblemSet.Load(data with { RefineShare = 0 });

        var refine = rows.Where(r => r.Id.StartsWith("refine-")).ToList();
        Assert.InRange(refine.Count, 430, 570);                                   // 25 % of 2000 = 500 ± a few σ
        Assert.Equal(plain.Count, rows.Count);
        Assert.All(rows.Zip(plain).Where(p => !p.First.Id.StartsWith("refine-")), p => Assert.Equal(p.Second, p.First));
        int wrong = refine.Count(r => r.Reasoning!.Contains(": wrong;"));
        Assert.InRange(wrong, refine.Count * 0.4, refine.Count * 0.6);
        Assert.All(refine, r =>
        {
            var original = plain[rows.ToList().IndexOf(r)];
            Assert.StartsWith(original.Prompt + " attempt: <think>", r.Prompt);
            Assert.Equal(original.Answer, r.Answer);                               // the revised answer is right
            Assert.StartsWith(original.Reasoning + "; got ", r.Reasoning);          // the critique redoes the work
        });
        Assert.Equal(rows, ProblemSet.Load(data));                                 // seeded
    }
}
