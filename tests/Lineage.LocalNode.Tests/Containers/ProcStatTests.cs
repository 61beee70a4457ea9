using Lineage.LocalNode.Processes;

namespace Lineage.LocalNode.Tests.Containers;

public sealed class ProcStatTests
{
    [Fact]
    public void Fields_are_counted_after_the_command_name_even_when_it_holds_spaces_and_parentheses()
    {
        const string line = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 987654 12345678 321 18446744073709551615";

        var stat = ProcStat.Parse(4242, line)!;

        Assert.Equal((4242, 4242, 987654L, 321L), (stat.ProcessGroup, stat.Session, stat.StartTicks, stat.ResidentPages));
    }

    [Fact]
    public void This_process_is_found_with_a_start_time()
    {
        var stat = ProcStat.Read(Environment.ProcessId);

        Assert.NotNull(stat);
        Assert.True(stat!.StartTicks > 0);
        Assert.True(stat.ResidentBytes > 0);
    }
}
