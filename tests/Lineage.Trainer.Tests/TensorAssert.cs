using Xunit;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests;

static class TensorAssert
{
    /// <summary>Same shape, same dtype and bit-for-bit equal values.</summary>
    public static void Identical(Tensor expected, Tensor actual, string? name = null)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape), $"{name}: shape [{string.Join(",", expected.shape)}] vs [{string.Join(",", actual.shape)}]");
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.True(expected.eq(actual).all().item<bool>(), $"{name}: values differ");
    }
}
