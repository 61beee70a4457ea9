using Xunit;
using Lineage.Trainer.Checkpoints;
using static Lineage.Trainer.Tests.Checkpoints.SafetensorsBytes;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Checkpoints;

public sealed class SafetensorsReaderTests : IDisposable
{
    readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    string WriteFile(string headerJson, byte[] data)
    {
        string path = _dir.File("model.safetensors");
        System.IO.File.WriteAllBytes(path, File(headerJson, data));
        return path;
    }

    [Fact]
    public void Reads_a_hand_built_file_with_f32_bf16_and_f16_tensors()
    {
        // bf16 bits: 1.0 = 0x3F80, -2.0 = 0xC000, 0.375 = 0x3EC0, 3.140625 = 0x4049
        // f16 bits:  1.0 = 0x3C00, -2.0 = 0xC000, 65504 = 0x7BFF, 2^-24 (smallest subnormal) = 0x0001
        var data = Floats(1f, -2f, 3.5f, 0f, 0.001f, -1e6f).Concat(Halves(0x3F80, 0xC000, 0x3EC0, 0x4049)).Concat(Halves(0x3C00, 0xC000, 0x7BFF, 0x0001)).ToArray();
        string path = WriteFile("""
            {"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},
             "b":{"dtype":"BF16","shape":[4],"data_offsets":[24,32]},
             "c":{"dtype":"F16","shape":[2,2],"data_offsets":[32,40]},
             "__metadata__":{"format":"pt"}}
            """, data);

        var tensors = SafetensorsReader.Load(path);

        Assert.Equal(new long[] { 2, 3 }, tensors["a"].shape);
        Assert.Equal(ScalarType.Float32, tensors["a"].dtype);
        Assert.Equal(new[] { 1f, -2f, 3.5f, 0f, 0.001f, -1e6f }, tensors["a"].data<float>().ToArray());
        Assert.Equal(ScalarType.Float32, tensors["b"].dtype);
        Assert.Equal(new[] { 1f, -2f, 0.375f, 3.140625f }, tensors["b"].data<float>().ToArray());
        Assert.Equal(new long[] { 2, 2 }, tensors["c"].shape);
        Assert.Equal(new[] { 1f, -2f, 65504f, MathF.Pow(2, -24) }, tensors["c"].data<float>().ToArray());
    }

    [Fact]
    public void Reads_integer_tensors_keeping_their_type()
    {
        var data = new byte[16];
        BitConverter.TryWriteBytes(data.AsSpan(0), -7L);
        BitConverter.TryWriteBytes(data.AsSpan(8), 1L << 40);
        string path = WriteFile("""{"ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}""", data);

        using var ids = SafetensorsReader.LoadTensor(path, "ids");

        Assert.Equal(ScalarType.Int64, ids.dtype);
        Assert.Equal(new[] { -7L, 1L << 40 }, ids.data<long>().ToArray());
    }

    [Fact]
    public void Reads_an_empty_tensor_and_scalar_shapes()
    {
        string path = WriteFile("""{"empty":{"dtype":"F32","shape":[0,4],"data_offsets":[0,0]},"scalar":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}""", Floats(2.5f));

        var tensors = SafetensorsReader.Load(path);

        Assert.Equal(new long[] { 0, 4 }, tensors["empty"].shape);
        Assert.Equal(2.5f, tensors["scalar"].item<float>());
    }

    [Fact]
    public void Truncated_data_is_an_error_naming_the_file()
    {
        var full = File("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", Floats(1, 2, 3, 4));
        string path = _dir.File("truncated.safetensors");
        System.IO.File.WriteAllBytes(path, full[..^5]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("'a'", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_file_shorter_than_the_length_prefix_is_an_error()
    {
        string path = _dir.File("tiny.safetensors");
        System.IO.File.WriteAllBytes(path, [1, 2, 3]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Load(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Header_length_beyond_the_file_is_an_error()
    {
        var bytes = File("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", Floats(1));
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), 10_000UL);
        string path = _dir.File("long-header.safetensors");
        System.IO.File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("header length 10000", error.Message);
    }

    [Fact]
    public void Malformed_header_json_is_an_error()
    {
        string path = WriteFile("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]""", Floats(1));

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("not valid JSON", error.Message);
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}}""", "needs 8")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", "overlap")]
    [InlineData("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", "past the data section")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", "gap of 4 bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "tensors cover 4")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[8,4]}}""", "not an increasing range")]
    [InlineData("""{"a":{"dtype":"F8_E4M3","shape":[12],"data_offsets":[0,12]}}""", "dtype 'F8_E4M3' is not supported")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-3],"data_offsets":[0,12]}}""", "negative dimension")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3]}}""", "data_offsets must be")]
    public void Inconsistent_offsets_shapes_and_dtypes_are_errors_naming_file_and_tensor(string header, string problem)
    {
        string path = WriteFile(header, Floats(1, 2, 3));

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_missing_file_is_reported_by_path()
    {
        string path = _dir.File("absent.safetensors");

        var error = Assert.Throws<FileNotFoundException>(() => SafetensorsReader.Load(path));

        Assert.Contains(path, error.Message);
    }
}
