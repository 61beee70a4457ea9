using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Objectives;

/// <summary>Builds float64 tensors from literals and compares them element-wise to hand-computed values.</summary>
internal static class T
{
    public static Tensor Vec(params double[] values) => tensor(values, dtype: ScalarType.Float64);

    public static Tensor Mat(int rows, int cols, params double[] values) => tensor(values, dtype: ScalarType.Float64).reshape(rows, cols);

    public static void Close(double expected, Tensor actual, double tolerance = 1e-12)
    {
        Assert.Equal(0, actual.dim());
        Close(expected, actual.ToDouble(), tolerance);
    }

    public static void Close(double expected, double actual, double tolerance = 1e-12) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R} (tolerance {tolerance})");

    public static void Close(double[] expected, Tensor actual, double tolerance = 1e-12)
    {
        var got = actual.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        Assert.Equal(expected.Length, got.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - got[i]) <= tolerance, $"element {i}: expected {expected[i]:R}, got {got[i]:R} (tolerance {tolerance})");
    }
}
