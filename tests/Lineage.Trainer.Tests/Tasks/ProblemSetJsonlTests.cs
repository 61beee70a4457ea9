using Lineage.Contracts.Config;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;
using Xunit;

namespace Lineage.Trainer.Tests.Tasks;

public sealed class ProblemSetJsonlTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("lineage-tasks-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static string ToJsonl(IEnumerable<Problem> problems)
    {
        string file = Path.GetTempFileName();
        try
        {
            ProblemSet.WriteJsonl(file, problems);
            return File.ReadAllText(file);
        }
        finally { File.Delete(file); }
    }

    string WriteLines(string name, params string[] lines)
    {
        string file = Path.Combine(_dir, name);
        File.WriteAllText(file, string.Join("\n", lines) + "\n");
        return file;
    }

    [Fact]
    public void Writes_one_readable_object_per_line_with_fixed_field_order()
    {
        var problems = new[] { AdditionTask.Create(347, 285) with { Id = "a1" }, ProblemFixtures.Countdown(72, 25, 50, 3, 7) with { Answer = "(50-25)*3-3" } };

        string text = ToJsonl(problems);

        Assert.Equal(
            "{\"id\":\"a1\",\"task\":\"addition\",\"prompt\":\"347+285=\",\"answer\":\"632\",\"reasoning\":\"7+5+0=12|4+8+1=13|3+2+1=06\"}\n" +
            "{\"id\":\"cd\",\"task\":\"countdown\",\"prompt\":\"countdown 25 50 3 7 -> 72\",\"answer\":\"(50-25)*3-3\",\"numbers\":[25,50,3,7],\"target\":72}\n",
            text);
    }

    [Fact]
    public void Written_countdown_problems_load_back_and_still_verify_any_solution()
    {
        var generated = ProblemFixtures.Generate(CountdownTask.Name, count: 50);
        ProblemSet.WriteJsonl(Path.Combine(_dir, "cd.jsonl"), generated);

        var loaded = ProblemSet.Load(new DataConfig { Path = "cd.jsonl", Count = 0 }, _dir);

        Assert.Equal(ToJsonl(generated), ToJsonl(loaded));
        Assert.All(loaded, p => Assert.True(AnswerVerifier.IsCorrect(p, p.Completion)));
    }

    [Fact]
    public void Field_names_are_configurable_and_numeric_answers_are_read_as_text()
    {
        WriteLines("q.jsonl", "{\"question\":\"2+2?\",\"solution\":4,\"why\":\"add\"}", "", "{\"question\":\"3+3?\",\"solution\":\"6\"}");

        var loaded = ProblemSet.Load(new DataConfig { Path = "q.jsonl", PromptField = "question", AnswerField = "solution", ReasoningField = "why" }, _dir);

        Assert.Equal(2, loaded.Count);
        Assert.Equal(("2+2?", "4", "add", "q.jsonl:1", "jsonl"), (loaded[0].Prompt, loaded[0].Answer, loaded[0].Reasoning, loaded[0].Id, loaded[0].Task));
        Assert.Equal(("6", null, "q.jsonl:3"), (loaded[1].Answer, loaded[1].Reasoning, loaded[1].Id));
    }

    [Fact]
    public void Count_limits_how_many_lines_are_read()
    {
        WriteLines("many.jsonl", Enumerable.Range(1, 10).Select(i => $"{{\"prompt\":\"p{i}\",\"answer\":\"{i}\"}}").ToArray());

        Assert.Equal(3, ProblemSet.Load(new DataConfig { Path = "many.jsonl", Count = 3 }, _dir).Count);
        Assert.Equal(10, ProblemSet.Load(new DataConfig { Path = "many.jsonl", Count = 0 }, _dir).Count);
    }

    [Fact]
    public void Gsm8k_answers_split_into_final_answer_and_reasoning_without_calculator_notes()
    {
        WriteLines("gsm8k.jsonl",
            "{\"question\":\"Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?\"," +
            "\"answer\":\"Natalia sold 48/2 = <<48/2=24>>24 clips in May.\\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\\n#### 72\"}",
            "{\"question\":\"Big?\",\"answer\":\"So it is 1,000 in all.\\n#### 1,000\"}");

        var loaded = ProblemSet.Load(new DataConfig { Path = "gsm8k.jsonl", PromptField = "question", AnswerFormat = "gsm8k" }, _dir);

        Assert.Equal("72", loaded[0].Answer);
        Assert.Equal("Natalia sold 48/2 = 24 clips in May.\nNatalia sold 48+24 = 72 clips altogether in April and May.", loaded[0].Reasoning);
        Assert.Equal("1000", loaded[1].Answer);
    }

    [Fact]
    public void A_gsm8k_line_without_a_final_answer_names_file_and_line()
    {
        string file = WriteLines("bad.jsonl", "{\"question\":\"a\",\"answer\":\"x\\n#### 1\"}", "{\"question\":\"b\",\"answer\":\"no marker here\"}");

        var error = Assert.Throws<InvalidDataException>(() =>
            ProblemSet.Load(new DataConfig { Path = file, PromptField = "question", AnswerFormat = "gsm8k" }));

        Assert.StartsWith($"{file}:2:", error.Message);
        Assert.Contains("####", error.Message);
    }

    [Theory]
    [InlineData("{\"prompt\":\"p\"}", "missing answer field 'answer'")]
    [InlineData("{\"prompt\":\"p\",\"answer\":\"  \"}", "answer field 'answer' is empty")]
    [InlineData("{\"answer\":\"1\"}", "missing prompt field 'prompt'")]
    [InlineData("{\"prompt\":\"p\",\"answer\":", "not valid JSON")]
    [InlineData("[1,2]", "expected a JSON object")]
    [InlineData("{\"prompt\":\"p\",\"answer\":\"1\",\"numbers\":[1,2]}", "needs both 'numbers' and 'target'")]
    [InlineData("{\"prompt\":\"p\",\"answer\":[1]}", "field 'answer' must be a string or number")]
    public void A_bad_line_is_an_error_naming_file_line_and_problem(string badLine, string problem)
    {
        string file = WriteLines("broken.jsonl", "{\"prompt\":\"fine\",\"answer\":\"1\"}", badLine);

        var error = Assert.Throws<InvalidDataException>(() => ProblemSet.Load(new DataConfig { Path = file }));

        Assert.StartsWith($"{file}:2: ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_missing_file_or_a_store_uri_is_a_data_path_error()
    {
        Assert.StartsWith("data.path: file not found", Assert.Throws<ConfigError>(() => ProblemSet.Load(new DataConfig { Path = "nope.jsonl" }, _dir)).Message);
        Assert.StartsWith("data.path:", Assert.Throws<ConfigError>(() => ProblemSet.Load(new DataConfig { Path = "s3://bucket/x.jsonl" })).Message);
    }
}
