using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tests.Tasks;
using Xunit;

namespace Lineage.Trainer.Tests.Rewards;

public sealed class AnswerVerifierTests
{
    [Theory]
    [InlineData(" 1,200 ", "1200")]
    [InlineData("+72", "72")]
    [InlineData("72.0", "72")]
    [InlineData("72.50", "72.5")]
    [InlineData("007", "7")]
    [InlineData("-0.0", "0")]
    [InlineData("1 000 000", "1000000")]
    [InlineData("-3", "-3")]
    [InlineData("  Paris   France ", "Paris France")]
    public void Normalises_numbers_and_text(string raw, string normalised)
    {
        Assert.Equal(normalised, AnswerNormalizer.Normalize(raw));
    }

    [Theory]
    [InlineData("632", "632", true)]
    [InlineData("632", "+632.0", true)]
    [InlineData("1200", "1,200", true)]
    [InlineData("632", "633", false)]
    [InlineData("12345678", "12345679", false)]
    [InlineData("0.1", "0.1000000001", true)]
    [InlineData("0.1", "0.1001", false)]
    [InlineData("Paris", " Paris ", true)]
    [InlineData("632", "six hundred", false)]
    public void Compares_normalised_answers_with_a_relative_tolerance_only_for_decimals(string expected, string given, bool correct)
    {
        Assert.Equal(correct, AnswerVerifier.IsCorrectAnswer(ProblemFixtures.Numeric(expected), given));
    }

    [Fact]
    public void A_correct_number_outside_an_answer_block_does_not_count()
    {
        Assert.False(AnswerVerifier.IsCorrect(ProblemFixtures.Numeric("632"), "<think>632</think>"));
        Assert.True(AnswerVerifier.IsCorrect(ProblemFixtures.Numeric("632"), "<think>...</think><answer>632</answer>"));
    }
}
