namespace Lineage.Trainer.Tokenization;

/// <summary>
/// GPT-2's byte-to-character table used by byte-level BPE (HF ByteLevel): printable Latin-1 bytes stand for
/// themselves, the other 68 bytes map to U+0100.. in order, so every byte is a visible vocabulary character
/// (space is 'Ġ' U+0120, newline 'Ċ' U+010A).
/// </summary>
public static class ByteLevelAlphabet
{
    static readonly char[] ByteToChar = Build();

    public static char Symbol(byte b) => ByteToChar[b];

    /// <summary>The vocabulary spelling of a UTF-8 string: each of its bytes as its symbol.</summary>
    public static string Encode(string text) => new(System.Text.Encoding.UTF8.GetBytes(text).Select(Symbol).ToArray());

    static char[] Build()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }
}
