using Xunit;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Lineage.Trainer.Checkpoints;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Checkpoints;

public sealed class SafetensorsWriterTests : IDisposable
{
    readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    static Dictionary<string, Tensor> RandomWeights(int seed)
    {
        var generator = new Generator((ulong)seed);
        return new Dictionary<string, Tensor>
        {
            ["model.embed_tokens.weight"] = randn([11, 8], generator: generator),
            ["model.layers.0.self_attn.q_proj.weight"] = randn([8, 8], generator: generator),
            ["model.layers.0.self_attn.q_proj.bias"] = randn([8], generator: generator),
            ["model.norm.weight"] = ones(8),
            ["lm_head.weight"] = randn([11, 8], generator: generator),
        };
    }

    [Fact]
    public void Write_then_read_round_trips_f32_exactly()
    {
        var weights = RandomWeights(seed: 1);
        string path = _dir.File("model.safetensors");

        SafetensorsWriter.Save(path, weights);
        var loaded = SafetensorsReader.Load(path);

        Assert.Equal(weights.Keys.Order(), loaded.Keys.Order());
        foreach (var (name, tensor) in weights) TensorAssert.Identical(loaded[name], tensor, name);
    }

    [Fact]
    public void Writes_the_huggingface_layout_sorted_aligned_with_pt_metadata()
    {
        string path = _dir.File("model.safetensors");

        SafetensorsWriter.Save(path, RandomWeights(seed: 2));

        var bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.EndsWith("}", header.TrimEnd(' ')); // HF pads the JSON with spaces only
        using var json = JsonDocument.Parse(header);
        Assert.Equal("pt", json.RootElement.GetProperty("__metadata__").GetProperty("format").GetString());
        var byOffset = json.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__")
            .OrderBy(p => p.Value.GetProperty("data_offsets")[0].GetInt64()).Select(p => p.Name).ToList();
        Assert.Equal(byOffset.Order(StringComparer.Ordinal), byOffset);
        Assert.Equal(bytes.Length - 8 - headerLength, json.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__")
            .Max(p => p.Value.GetProperty("data_offsets")[1].GetInt64()));
    }

    [Fact]
    public void Bf16_and_f16_output_is_exact_for_representable_values()
    {
        var values = tensor(new[] { 1f, -2f, 0.375f, 3.140625f, 0f, -0.5f, 1024f, 0.0078125f });
        foreach (var dtype in new[] { SafetensorsDtype.BF16, SafetensorsDtype.F16 })
        {
            string path = _dir.File($"half-{dtype}.safetensors");
            SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["w"] = values }, dtype);

            var header = SafetensorsHeader.Read(path);
            using var loaded = SafetensorsReader.LoadTensor(path, "w");

            Assert.Equal(dtype, header["w"].Dtype);
            Assert.Equal(16, header["w"].ByteLength);
            Assert.Equal(values.data<float>().ToArray(), loaded.data<float>().ToArray());
        }
    }

    [Fact]
    public void Bf16_output_stores_the_upper_half_of_the_float_bits()
    {
        string path = _dir.File("bits.safetensors");

        SafetensorsWriter.Save(path, new Dictionary<string, Tensor> { ["w"] = tensor(new[] { 1f, -2f }) }, SafetensorsDtype.BF16);

        var header = SafetensorsHeader.Read(path);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0x3F80, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)header.DataStart)));
        Assert.Equal(0xC000, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)header.DataStart + 2)));
    }

    [Fact]
    public void Overwriting_leaves_no_temporary_file_behind()
    {
        string path = _dir.File("model.safetensors");

        SafetensorsWriter.Save(path, RandomWeights(seed: 3));
        SafetensorsWriter.Save(path, RandomWeights(seed: 4));

        Assert.Equal(["model.safetensors"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }
}
