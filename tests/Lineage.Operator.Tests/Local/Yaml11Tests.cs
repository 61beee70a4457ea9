using Lineage.Operator.Local;

namespace Lineage.Operator.Tests.Local;

public sealed class Yaml11Tests
{
    [Fact]
    public void Unquoted_yaml_1_1_booleans_are_booleans_even_as_keys_as_kubectl_reads_them()
    {
        var doc = Assert.Single(Yaml11.Documents("spec:\n  n: 16\n  on: yes\n  'y': 2\n  flag: off\n", "m.yaml"));
        var spec = doc["spec"]!.AsObject();
        Assert.Equal(16, (long)spec["false"]!);
        Assert.True((bool)spec["true"]!);
        Assert.Equal(2, (long)spec["y"]!);
        Assert.False((bool)spec["flag"]!);
    }

    [Fact]
    public void Numbers_nulls_and_quoted_strings_resolve_as_in_yaml_1_1()
    {
        var doc = Assert.Single(Yaml11.Documents("a: 1.0e-6\nb: '2'\nc: ~\nd: 0x1F\ne: 010\nf: 1_000\ng: v1.2\nh: -3\n", "m.yaml"));
        Assert.Equal(1e-6, (double)doc["a"]!);
        Assert.Equal("2", (string)doc["b"]!);
        Assert.Null(doc["c"]);
        Assert.Equal(31, (long)doc["d"]!);
        Assert.Equal(8, (long)doc["e"]!);
        Assert.Equal(1000, (long)doc["f"]!);
        Assert.Equal("v1.2", (string)doc["g"]!);
        Assert.Equal(-3, (long)doc["h"]!);
    }

    [Fact]
    public void Several_documents_are_read_and_empty_ones_skipped_and_bad_yaml_names_file_and_line()
    {
        Assert.Equal(2, Yaml11.Documents("a: 1\n---\n---\nb: 2\n", "m.yaml").Count);
        var error = Assert.Throws<FormatException>(() => Yaml11.Documents("a: 1\nb: [1,\n", "bad.yaml"));
        Assert.Contains("bad.yaml: line", error.Message);
        Assert.Contains("not a mapping", Assert.Throws<FormatException>(() => Yaml11.Documents("- 1\n", "list.yaml")).Message);
    }
}
