using System.Text;
using Lineage.LocalNode.Containers;

namespace Lineage.LocalNode.Tests.Containers;

public sealed class TerminationMessageTests
{
    [Fact]
    public void The_tail_is_the_last_80_lines()
    {
        var log = string.Concat(Enumerable.Range(1, 100).Select(i => $"line {i}\n"));

        var tail = TerminationMessage.Tail(Encoding.UTF8.GetBytes(log));

        Assert.Equal(string.Concat(Enumerable.Range(21, 80).Select(i => $"line {i}\n")), tail);
    }

    [Fact]
    public void The_tail_is_at_most_2048_bytes()
    {
        var log = string.Concat(Enumerable.Range(1, 10).Select(i => new string((char)('a' + i), 500) + "\n"));

        var tail = TerminationMessage.Tail(Encoding.UTF8.GetBytes(log));

        Assert.Equal(2048, tail.Length);
        Assert.EndsWith(new string('k', 500) + "\n", tail);
    }

    [Fact]
    public void A_short_log_without_a_final_newline_is_kept_whole()
    {
        Assert.Equal("a\nb", TerminationMessage.Tail(Encoding.UTF8.GetBytes("a\nb")));
    }

    [Fact]
    public void The_containers_own_message_file_wins_and_the_log_is_read_only_when_the_container_failed()
    {
        var dir = Directory.CreateTempSubdirectory("termination-").FullName;
        var messageFile = Path.Combine(dir, "termination-log");
        var log = Path.Combine(dir, "main.log");
        File.WriteAllText(log, "traceback\n");

        Assert.Equal("traceback\n", TerminationMessage.Read(messageFile, log, "FallbackToLogsOnError", 1));
        Assert.Null(TerminationMessage.Read(messageFile, log, "FallbackToLogsOnError", 0));
        Assert.Null(TerminationMessage.Read(messageFile, log, "File", 1));
        File.WriteAllText(messageFile, "checkpoint corrupt");
        Assert.Equal("checkpoint corrupt", TerminationMessage.Read(messageFile, log, "FallbackToLogsOnError", 1));
        Directory.Delete(dir, recursive: true);
    }
}
