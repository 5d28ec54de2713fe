using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace ClvPortal.Core.Ingest;

/// <summary>
/// Text as either width of code unit: the bytes of an ASCII record, which are its characters, or UTF-16. The row
/// mapper reads nearly every field as bytes and widens one to characters only when a parser needs them.
/// Every method is compiled once per width, and the width tests below fold away.
/// </summary>
internal static class CodeUnits
{
    /// <summary>The text as characters: a UTF-16 span as it is, ASCII bytes widened into <paramref name="buffer"/> (at least as long).</summary>
    public static ReadOnlySpan<char> AsChars<TChar>(ReadOnlySpan<TChar> text, Span<char> buffer)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        if (typeof(TChar) == typeof(char))
        {
            return MemoryMarshal.Cast<TChar, char>(text);
        }

        Ascii.ToUtf16(MemoryMarshal.Cast<TChar, byte>(text), buffer, out var written);
        return buffer[..written];
    }

    /// <summary>Whether the text reads the same as <paramref name="chars"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Equals<TChar>(ReadOnlySpan<TChar> text, ReadOnlySpan<char> chars)
        where TChar : unmanaged, IBinaryInteger<TChar> =>
        typeof(TChar) == typeof(char)
            ? MemoryMarshal.Cast<TChar, char>(text).SequenceEqual(chars)
            : Ascii.Equals(MemoryMarshal.Cast<TChar, byte>(text), chars);

    /// <summary>A printable ASCII character other than the space: a field that starts and ends with one needs no trimming.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsVisibleAscii<TChar>(TChar unit)
        where TChar : unmanaged, IBinaryInteger<TChar> =>
        uint.CreateTruncating(unit) - 0x21u < 0x7Fu - 0x21u;

    /// <summary>
    /// The text without surrounding white space, as <see cref="MemoryExtensions.Trim(ReadOnlySpan{char})"/> trims it:
    /// the white space of ASCII is tab to carriage return and the space, and an ASCII record has no other.
    /// </summary>
    public static ReadOnlySpan<TChar> Trim<TChar>(ReadOnlySpan<TChar> text)
        where TChar : unmanaged, IBinaryInteger<TChar> =>
        typeof(TChar) == typeof(char)
            ? MemoryMarshal.Cast<char, TChar>(MemoryMarshal.Cast<TChar, char>(text).Trim())
            : MemoryMarshal.Cast<byte, TChar>(MemoryMarshal.Cast<TChar, byte>(text).Trim(" \t\n\v\f\r"u8));
}
