using Xunit;
using System.Text.Json;
using Lineage.Trainer.Checkpoints;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Checkpoints;

public sealed class ShardedCheckpointTests : IDisposable
{
    readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    static Dictionary<string, Tensor> Weights()
    {
        var generator = new Generator(7);
        var weights = new Dictionary<string, Tensor> { ["model.embed_tokens.weight"] = randn([16, 8], generator: generator) };
        for (int i = 0; i < 3; i++)
        {
            weights[$"model.layers.{i}.mlp.up_proj.weight"] = randn([12, 8], generator: generator);
            weights[$"model.layers.{i}.input_layernorm.weight"] = randn([8], generator: generator);
        }
        return weights;
    }

    [Fact]
    public void A_sharded_checkpoint_loads_identically_to_the_single_file()
    {
        var weights = Weights();
        string single = Path.Combine(_dir.Path, "single"), sharded = Path.Combine(_dir.Path, "sharded");
        ShardedCheckpoint.Save(single, weights);
        ShardedCheckpoint.Save(sharded, weights, maxShardBytes: 1024);

        var fromSingle = ShardedCheckpoint.Load(single);
        var fromShards = ShardedCheckpoint.Load(sharded);

        Assert.True(File.Exists(Path.Combine(single, "model.safetensors")));
        var shardFiles = Directory.GetFiles(sharded, "model-*-of-*.safetensors");
        Assert.True(shardFiles.Length >= 2, $"expected several shards, got {shardFiles.Length}");
        Assert.Equal(fromSingle.Keys.Order(), fromShards.Keys.Order());
        foreach (var (name, tensor) in fromSingle) TensorAssert.Identical(fromShards[name], tensor, name);
    }

    [Fact]
    public void The_index_maps_every_tensor_to_its_shard_and_totals_the_bytes()
    {
        var weights = Weights();

        ShardedCheckpoint.Save(_dir.Path, weights, maxShardBytes: 1024);

        using var index = JsonDocument.Parse(File.ReadAllText(_dir.File(ShardedCheckpoint.IndexFile)));
        var map = index.RootElement.GetProperty("weight_map").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.Equal(weights.Keys.Order(), map.Keys.Order());
        foreach (var (name, file) in map) Assert.Contains(name, SafetensorsHeader.Read(_dir.File(file)).Entries.Select(e => e.Name));
        long total = weights.Values.Sum(t => t.numel() * 4);
        Assert.Equal(total, index.RootElement.GetProperty("metadata").GetProperty("total_size").GetInt64());
        Assert.All(map.Values.Distinct(), f => Assert.True(new FileInfo(_dir.File(f)).Length < 1024 + 2048, f));
    }

    [Fact]
    public void Saving_unsharded_over_a_sharded_directory_removes_the_old_shards_and_index()
    {
        ShardedCheckpoint.Save(_dir.Path, Weights(), maxShardBytes: 1024);

        ShardedCheckpoint.Save(_dir.Path, Weights());

        Assert.Equal(["model.safetensors"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_shard_missing_from_disk_is_an_error_naming_the_index()
    {
        ShardedCheckpoint.Save(_dir.Path, Weights(), maxShardBytes: 1024);
        File.Delete(Directory.GetFiles(_dir.Path, "model-00002-of-*.safetensors").Single());

        var error = Assert.Throws<InvalidDataException>(() => ShardedCheckpoint.Load(_dir.Path));

        Assert.Contains(ShardedCheckpoint.IndexFile, error.Message);
        Assert.Contains("model-00002-of-", error.Message);
    }

    [Fact]
    public void An_index_naming_a_tensor_its_shard_lacks_is_an_error()
    {
        ShardedCheckpoint.Save(_dir.Path, Weights(), maxShardBytes: 1024);
        string indexPath = _dir.File(ShardedCheckpoint.IndexFile);
        File.WriteAllText(indexPath, File.ReadAllText(indexPath).Replace("\"model.embed_tokens.weight\"", "\"model.embed_tokens.bias\""));

        var error = Assert.Throws<InvalidDataException>(() => ShardedCheckpoint.Load(_dir.Path));

        Assert.Contains("model.embed_tokens.bias", error.Message);
    }

    [Fact]
    public void A_directory_without_weights_is_reported()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ShardedCheckpoint.Load(_dir.Path));

        Assert.Contains("model.safetensors", error.Message);
    }
}
