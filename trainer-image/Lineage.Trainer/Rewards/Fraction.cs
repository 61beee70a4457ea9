using System.Numerics;

namespace Lineage.Trainer.Rewards;

/// <summary>Exact rational number in lowest terms (positive denominator): countdown allows no rounding.</summary>
internal readonly record struct Fraction
{
    public BigInteger Numerator { get; }
    public BigInteger Denominator { get; }

    Fraction(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.Sign < 0) (numerator, denominator) = (-numerator, -denominator);
        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!gcd.IsZero && !gcd.IsOne) (numerator, denominator) = (numerator / gcd, denominator / gcd);
        Numerator = numerator;
        Denominator = denominator;
    }

    public static Fraction Of(BigInteger integer) => new(integer, BigInteger.One);

    public bool IsZero => Numerator.IsZero;

    public static Fraction operator +(Fraction a, Fraction b) =>
        new(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static Fraction operator -(Fraction a, Fraction b) =>
        new(a.Numerator * b.Denominator - b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static Fraction operator *(Fraction a, Fraction b) =>
        new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    /// <summary>Caller checks <see cref="IsZero"/> on the divisor first.</summary>
    public static Fraction operator /(Fraction a, Fraction b) =>
        new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    public bool EqualsInteger(long value) => Denominator.IsOne && Numerator == value;
}
