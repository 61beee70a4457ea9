using Lineage.Trainer.Rewards;

namespace Lineage.Trainer.Tests.Rewards;

public sealed class JudgeReplyTests
{
    [Theory]
    [InlineData("<critique>right answer, clean format</critique><score>7</score>", JudgeReplyStatus.Scored, 0.7)]
    [InlineData("<think>47*5=235; got 235: right; format ok</think><answer>10</answer>", JudgeReplyStatus.Scored, 1.0)]
    [InlineData("<critique>ok</critique><score> 7.5 </score>", JudgeReplyStatus.Scored, 0.75)]
    [InlineData("<critique>ok</critique><score>4/10</score>", JudgeReplyStatus.Scored, 0.4)]
    [InlineData("<critique>ok</critique><score>0</score>", JudgeReplyStatus.Scored, 0.0)]
    [InlineData("<score>2</score> on reflection <score>9</score>", JudgeReplyStatus.Scored, 0.9)]
    [InlineData("<critique>too generous</critique><score>11</score>", JudgeReplyStatus.OutOfRange, 0.0)]
    [InlineData("<critique>negative</critique><score>-1</score>", JudgeReplyStatus.OutOfRange, 0.0)]
    [InlineData("<critique>scale slip</critique><score>4/5</score>", JudgeReplyStatus.NotANumber, 0.0)]
    [InlineData("<critique>words</critique><score>seven</score>", JudgeReplyStatus.NotANumber, 0.0)]
    [InlineData("<critique>the candidate is fine</critique>", JudgeReplyStatus.MissingScore, 0.0)]
    [InlineData("<critique>cut off</critique><score>8", JudgeReplyStatus.MissingScore, 0.0)]
    [InlineData("q@#1 ]]>> 7 7 7", JudgeReplyStatus.MissingScore, 0.0)]
    [InlineData("", JudgeReplyStatus.MissingScore, 0.0)]
    public void Parses_the_score_or_says_why_not(string reply, JudgeReplyStatus status, double reward)
    {
        var verdict = JudgeReply.Parse(reply, maxScore: 10);

        Assert.Equal(status, verdict.Status);
        Assert.Equal(reward, verdict.Reward, 12);
    }

    [Fact]
    public void Keeps_the_critique_from_either_tag_form()
    {
        Assert.Equal("redo 6*7=42", JudgeReply.Parse("<critique>redo 6*7=42</critique><score>3</score>", 10).Critique);
        Assert.Equal("redo 6*7=42", JudgeReply.Parse("<think>redo 6*7=42</think><answer>3</answer>", 10).Critique);
    }

    [Fact]
    public void The_score_tag_wins_over_an_answer_tag_quoted_in_the_critique()
    {
        var verdict = JudgeReply.Parse("<critique>it wrote <answer>12</answer></critique><score>2</score>", 10);

        Assert.Equal(2, verdict.Score);
    }
}
