using static TorchSharp.torch;

namespace Lineage.Trainer.Checkpoints;

/// <summary>Element types a safetensors file may declare, with the header spelling and the torch type.</summary>
public enum SafetensorsDtype { F32, F16, BF16, F64, I64, I32 }

public static class SafetensorsDtypes
{
    public static int ElementSize(this SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.F16 or SafetensorsDtype.BF16 => 2,
        SafetensorsDtype.F32 or SafetensorsDtype.I32 => 4,
        SafetensorsDtype.F64 or SafetensorsDtype.I64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static ScalarType ToScalarType(this SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.F32 => ScalarType.Float32,
        SafetensorsDtype.F16 => ScalarType.Float16,
        SafetensorsDtype.BF16 => ScalarType.BFloat16,
        SafetensorsDtype.F64 => ScalarType.Float64,
        SafetensorsDtype.I64 => ScalarType.Int64,
        SafetensorsDtype.I32 => ScalarType.Int32,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>Parses the header spelling ("F32", "BF16", …); null when the dtype is not one we read.</summary>
    public static SafetensorsDtype? Parse(string name) => name switch
    {
        "F32" => SafetensorsDtype.F32,
        "F16" => SafetensorsDtype.F16,
        "BF16" => SafetensorsDtype.BF16,
        "F64" => SafetensorsDtype.F64,
        "I64" => SafetensorsDtype.I64,
        "I32" => SafetensorsDtype.I32,
        _ => null,
    };

    public static bool IsFloatingPoint(this SafetensorsDtype dtype) => dtype is not (SafetensorsDtype.I64 or SafetensorsDtype.I32);
}
