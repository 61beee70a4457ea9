using Lineage.Trainer.TestTime;

namespace Lineage.Trainer.Tests.TestTime;

public sealed class MajorityVoteTests
{
    [Fact]
    public void Counts_normalised_answers_and_reports_the_share_of_all_samples()
    {
        var vote = MajorityVote.Of(["1,200", "7", "1200.0", "1200", "8"]);
        Assert.Equal(new Vote("1200", Votes: 3, Samples: 5), vote);
        Assert.Equal(0.6, vote.Share, precision: 12);
    }

    [Fact]
    public void A_tie_goes_to_the_answer_seen_first()
    {
        Assert.Equal("7", MajorityVote.Of(["7", "1,200", null, "1200.0", "7"]).Answer);  // 2 votes each: 7 came first
        Assert.Equal("8", MajorityVote.Of(["8", "7", "+7", "8.0"]).Answer);
    }

    [Fact]
    public void Unparsable_samples_vote_for_nothing_but_count_in_the_share()
    {
        var vote = MajorityVote.Of(["42", null, null, null, "42", null, null, "41"]);
        Assert.Equal(("42", 2, 8), (vote.Answer, vote.Votes, vote.Samples));
        Assert.Equal(0.25, vote.Share, precision: 12);
    }

    [Fact]
    public void No_answer_at_all_has_no_winner_and_no_share()
    {
        var vote = MajorityVote.Of([null, null]);
        Assert.Null(vote.Answer);
        Assert.Equal(0, vote.Share);
        Assert.Equal(0, MajorityVote.Of([]).Share);
    }

    [Fact]
    public void Agreement_is_judged_after_normalisation()
    {
        var vote = MajorityVote.Of(["1200", "1,200"]);
        Assert.True(MajorityVote.Agrees(vote, " +1200.00 "));
        Assert.False(MajorityVote.Agrees(vote, "1201"));
        Assert.False(MajorityVote.Agrees(vote, null));
    }
}
