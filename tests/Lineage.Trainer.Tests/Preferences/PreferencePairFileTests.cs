using Lineage.Trainer.Preferences;

namespace Lineage.Trainer.Tests.Preferences;

public sealed class PreferencePairFileTests
{
    [Fact]
    public void Pairs_round_trip_through_jsonl()
    {
        using var dir = new TemporaryDirectory();
        var pairs = new[] { new PreferencePair("2*3=", "<think>2*3=6</think><answer>6</answer>", "<answer>7</answer>", "p1") };
        PreferencePairFile.Write(dir.File("pairs.jsonl"), pairs);

        Assert.Equal(pairs, PreferencePairFile.Read(dir.File("pairs.jsonl")));
    }

    [Theory]
    [InlineData("{\"prompt\":\"a\",\"chosen\":\"b\"}", "line 2", "missing field 'rejected'")]
    [InlineData("{\"prompt\":\"a\",\"chosen\":5,\"rejected\":\"c\"}", "line 2", "field 'chosen' must be a string")]
    [InlineData("{\"prompt\":\"a\",\"chosen\":\"b\",\"rejected\":\"b\"}", "line 2", "identical")]
    [InlineData("not json", "line 2", "not valid JSON")]
    [InlineData("[1,2]", "line 2", "expected a JSON object")]
    public void A_bad_line_is_an_error_naming_file_line_and_field(string badLine, string _, string problem)
    {
        using var dir = new TemporaryDirectory();
        File.WriteAllText(dir.File("pairs.jsonl"), "{\"prompt\":\"a\",\"chosen\":\"b\",\"rejected\":\"c\"}\n" + badLine + "\n");

        var error = Assert.Throws<InvalidDataException>(() => PreferencePairFile.Read(dir.File("pairs.jsonl")));

        Assert.StartsWith($"{dir.File("pairs.jsonl")}:2:", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_missing_file_names_the_file()
    {
        var error = Assert.Throws<FileNotFoundException>(() => PreferencePairFile.Read("/no/such/pairs.jsonl"));
        Assert.Contains("/no/such/pairs.jsonl", error.Message);
    }
}
