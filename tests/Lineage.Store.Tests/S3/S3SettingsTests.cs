using Lineage.Store.S3;
using Lineage.Store.Tests.Support;

namespace Lineage.Store.Tests.S3;

public sealed class S3SettingsTests
{
    static Func<string, string?> Env(params (string Name, string Value)[] values) => name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Reads_endpoint_tls_region_and_credentials_from_the_environment()
    {
        var s = S3Settings.FromEnvironment(Env(("LINEAGE_S3_ENDPOINT", "http://minio.lineage:9000"), ("LINEAGE_S3_REGION", "eu-west-1"),
            ("LINEAGE_S3_ACCESS_KEY", "ak"), ("AWS_SECRET_ACCESS_KEY", "sk")));
        Assert.Equal("minio.lineage:9000", s.HostAndPort);
        Assert.False(s.Secure);
        Assert.Equal("eu-west-1", s.Region);
        Assert.True(s.PathStyle);
        Assert.Equal(("ak", "sk"), (s.AccessKey, s.SecretKey));
        Assert.True(S3Settings.FromEnvironment(Env(("LINEAGE_S3_ENDPOINT", "minio:9000"), ("LINEAGE_S3_ACCESS_KEY", "a"), ("LINEAGE_S3_SECRET_KEY", "b"))).Secure);
        Assert.False(S3Settings.FromEnvironment(Env(("LINEAGE_S3_ENDPOINT", "minio:9000"), ("LINEAGE_S3_TLS", "off"), ("LINEAGE_S3_ACCESS_KEY", "a"), ("LINEAGE_S3_SECRET_KEY", "b"))).Secure);
    }

    [Fact]
    public void Reads_credentials_from_mounted_secret_files()
    {
        using var dir = new TemporaryDirectory();
        File.WriteAllText(dir.Combine("accesskey"), "from-file\n");
        File.WriteAllText(dir.Combine("secretkey"), "secret-from-file\n");
        var s = S3Settings.FromEnvironment(Env(("LINEAGE_S3_ENDPOINT", "minio:9000"),
            ("LINEAGE_S3_ACCESS_KEY_FILE", dir.Combine("accesskey")), ("LINEAGE_S3_SECRET_KEY_FILE", dir.Combine("secretkey"))));
        Assert.Equal(("from-file", "secret-from-file"), (s.AccessKey, s.SecretKey));
    }

    [Theory]
    [InlineData("", "", "LINEAGE_S3_ENDPOINT")]
    [InlineData("minio:9000", "", "LINEAGE_S3_ACCESS_KEY")]
    [InlineData("minio:9000", "LINEAGE_S3_TLS=maybe", "LINEAGE_S3_TLS")]
    [InlineData("minio:9000", "LINEAGE_S3_PATH_STYLE=false", "LINEAGE_S3_PATH_STYLE")]
    [InlineData("minio:9000", "LINEAGE_S3_ACCESS_KEY_FILE=/nonexistent/key", "/nonexistent/key")]
    public void Bad_settings_name_the_variable_to_fix(string endpoint, string extra, string named)
    {
        var values = new List<(string, string)> { ("LINEAGE_S3_ENDPOINT", endpoint) };
        if (extra.Length > 0) values.Add((extra[..extra.IndexOf('=')], extra[(extra.IndexOf('=') + 1)..]));
        if (!extra.Contains("KEY")) { values.Add(("LINEAGE_S3_SECRET_KEY", "s")); if (named != "LINEAGE_S3_ACCESS_KEY") values.Add(("LINEAGE_S3_ACCESS_KEY", "a")); }
        var error = Assert.Throws<ArtifactStoreException>(() => S3Settings.FromEnvironment(Env([.. values])));
        Assert.Contains(named, error.Message);
    }
}
