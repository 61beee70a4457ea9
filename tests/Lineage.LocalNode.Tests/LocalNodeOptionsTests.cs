namespace Lineage.LocalNode.Tests;

public sealed class LocalNodeOptionsTests
{
    static readonly LocalNodeOptions Valid = new() { DataDirectory = "/var/lib/lineage-node" };

    public static TheoryData<LocalNodeOptions, string> Invalid => new()
    {
        { new LocalNodeOptions(), "DataDirectory" },
        { Valid with { DataDirectory = "relative/dir" }, "DataDirectory" },
        { Valid with { NodeName = "Local_Node" }, "NodeName" },
        { Valid with { Cpus = 0 }, "Cpus" },
        { Valid with { MemoryBytes = -1 }, "MemoryBytes" },
        { Valid with { Gpus = -1 }, "Gpus" },
        { Valid with { PodLogDirectory = "logs" }, "PodLogDirectory" },
        { Valid with { PodFailureBackoff = TimeSpan.Zero }, "PodFailureBackoff" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Bad_options_are_refused_with_a_message_naming_the_field(LocalNodeOptions options, string field)
    {
        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains($"LocalNodeOptions.{field}", error.Message);
    }

    [Fact]
    public void The_defaults_are_valid_and_logs_go_under_the_data_directory()
    {
        Valid.Validate();

        Assert.Equal("/var/lib/lineage-node/logs", Valid.EffectivePodLogDirectory);
        Assert.True(Valid.Environment.ContainsKey("PATH"));
    }
}
