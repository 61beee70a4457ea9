using Lineage.Operator.Hosting;

namespace Lineage.Operator.Tests.Hosting;

public sealed class OperatorOptionsTests
{
    static OperatorOptions Parse(string[] args, Dictionary<string, string>? env = null, string? podNamespace = null) =>
        OperatorOptions.Parse(args, name => env?.GetValueOrDefault(name), podNamespace);

    [Fact]
    public void Defaults_watch_all_namespaces_with_leader_election_on()
    {
        var o = Parse([]);
        Assert.Null(o.Namespace);
        Assert.Null(o.Kubeconfig);
        Assert.True(o.LeaderElect);
        Assert.Equal(16, o.Workers);
        Assert.Equal(TimeSpan.FromMinutes(10), o.ResyncPeriod);
        Assert.Equal("lineage-operator", o.LeaseName);
        Assert.Equal("default", o.LeaseNamespace);
        Assert.Equal("http://0.0.0.0:8080", o.MetricsAddress);
    }

    [Fact]
    public void Flags_win_over_environment_variables()
    {
        var env = new Dictionary<string, string> { ["LINEAGE_WORKERS"] = "2", ["LINEAGE_NAMESPACE"] = "from-env", ["POD_NAME"] = "pod-7" };
        var o = Parse(["--workers", "8", "--namespace=from-flag"], env);
        Assert.Equal(8, o.Workers);
        Assert.Equal("from-flag", o.Namespace);
        Assert.Equal("pod-7", o.Identity);
        Assert.Equal(8, o.ToHostOptions().Workers);
    }

    [Fact]
    public void Environment_configures_everything_for_a_pod()
    {
        var env = new Dictionary<string, string>
        {
            ["KUBECONFIG"] = "/tmp/kc", ["LINEAGE_LEADER_ELECT"] = "false", ["LINEAGE_LEASE_NAME"] = "lease-x",
            ["LINEAGE_RESYNC_SECONDS"] = "0", ["LINEAGE_METRICS_ADDRESS"] = "http://127.0.0.1:9090",
        };
        var o = Parse([], env, podNamespace: "lineage-system");
        Assert.Equal("/tmp/kc", o.Kubeconfig);
        Assert.False(o.ToHostOptions().LeaderElection.Enabled);
        Assert.Equal("lease-x", o.LeaseName);
        Assert.Equal("lineage-system", o.LeaseNamespace);
        Assert.Equal(TimeSpan.Zero, o.ResyncPeriod);
        Assert.Equal("http://127.0.0.1:9090", o.MetricsAddress);
    }

    [Fact]
    public void All_namespaces_overrides_a_namespace_from_the_environment() =>
        Assert.Null(Parse(["--all-namespaces"], new() { ["LINEAGE_NAMESPACE"] = "x" }).Namespace);

    [Theory]
    [InlineData(new[] { "--workers", "0" }, "--workers")]
    [InlineData(new[] { "--workers", "many" }, "--workers")]
    [InlineData(new[] { "--resync-seconds", "-5" }, "--resync-seconds")]
    [InlineData(new[] { "--leader-elect", "maybe" }, "--leader-elect")]
    [InlineData(new[] { "--metrics-address", "0.0.0.0:8080" }, "--metrics-address")]
    [InlineData(new[] { "--wokers", "2" }, "--wokers")]
    [InlineData(new[] { "--lease-name" }, "--lease-name")]
    [InlineData(new[] { "stray" }, "stray")]
    [InlineData(new[] { "--default-storage", "/var/lib/lineage" }, "--default-storage")]
    public void Bad_flags_are_refused_by_name(string[] args, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => Parse(args));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void A_bad_environment_variable_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse([], new() { ["LINEAGE_WORKERS"] = "-1" }));
        Assert.Contains("LINEAGE_WORKERS", error.Message);
    }

    [Fact]
    public void A_default_storage_comes_from_flags_or_the_environment()
    {
        Assert.Null(Parse([]).DefaultStorage);
        var o = Parse(["--default-storage", "s3://models/lineages"], new() { ["LINEAGE_DEFAULT_STORAGE_SECRET"] = "s3-creds", ["LINEAGE_DEFAULT_STORAGE_ENDPOINT"] = "http://minio:9000" });
        Assert.Equal(new Lineage.Operator.Api.V1Alpha1.StorageSpec { Uri = "s3://models/lineages", SecretName = "s3-creds", Endpoint = "http://minio:9000" }, o.DefaultStorage);
    }

    [Fact]
    public void The_allowed_trainer_images_default_to_the_built_in_one_and_come_from_a_flag_or_the_environment()
    {
        Assert.Equal([Lineage.Operator.Api.V1Alpha1.Resources.DefaultImage], Parse([]).Tenants.AllowedImages);
        Assert.False(Parse([]).Tenants.AllowFileStorage);
        Assert.Equal(["a/t:1", "b/t:2"], Parse([], new() { ["LINEAGE_ALLOWED_IMAGES"] = "a/t:1, b/t:2" }).Tenants.AllowedImages);
        Assert.Equal(["*"], Parse(["--allowed-images", "*"], new() { ["LINEAGE_ALLOWED_IMAGES"] = "a/t:1" }).Tenants.AllowedImages);
        Assert.Contains("--allowed-images", Assert.Throws<ArgumentException>(() => Parse(["--allowed-images", " , "])).Message);
        Assert.True(Parse([], new() { ["LINEAGE_ALLOW_FILE_STORAGE"] = "true" }).Tenants.AllowFileStorage);
        Assert.Contains("--allow-file-storage", Assert.Throws<ArgumentException>(() => Parse(["--allow-file-storage", "maybe"])).Message);
    }

    [Fact]
    public void A_file_default_store_is_refused_at_start_against_a_cluster_unless_file_stores_are_allowed()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse(["--default-storage", "file:///var/lib/lineage"]));
        Assert.Contains("--default-storage", error.Message);
        Assert.Contains("file:///var/lib/lineage", error.Message);
        Assert.Contains("LINEAGE_DEFAULT_STORAGE", Assert.Throws<ArgumentException>(() => Parse([], new() { ["LINEAGE_DEFAULT_STORAGE"] = "file:///srv/store" })).Message);
        Assert.Equal("file:///var/lib/lineage", Parse(["--default-storage", "file:///var/lib/lineage", "--allow-file-storage", "true"]).DefaultStorage!.Uri);
        Assert.Equal("s3://models/x", Parse(["--default-storage", "s3://models/x"]).DefaultStorage!.Uri);
    }
}
