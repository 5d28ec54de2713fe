using System.Buffers.Binary;
using System.Text;

namespace ClvPortal.Core.Ingest;

/// <summary>
/// What a file is from its first bytes, before anything reads it as a table: the formats people upload
/// by mistake (documents, images, archives, programs) and UTF-16 text, whose zero bytes would otherwise
/// pass for binary data. Shared by the upload endpoint, which refuses early, and the reader.
/// </summary>
public static class FileSignatures
{
    /// <summary>Bytes <see cref="Utf16"/> looks at; enough lines of any export to see the pattern of zero bytes.</summary>
    private const int Utf16Probe = 4096;

    /// <summary>"a PDF document", "a PNG image", ... for a known format that is not a table, otherwise null.</summary>
    public static string? OtherFormat(ReadOnlySpan<byte> head) => head switch
    {
        _ when head.StartsWith("%PDF"u8) => "a PDF document",
        _ when head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]) => "a PNG image",
        _ when head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) => "a JPEG image",
        _ when head.StartsWith("GIF8"u8) => "a GIF image",
        _ when head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]) => "a gzip-compressed file (unpack it first)",
        _ when head.StartsWith("Rar!"u8) => "a RAR archive",
        _ when head.StartsWith((ReadOnlySpan<byte>)[0x37, 0x7A, 0xBC, 0xAF]) => "a 7-Zip archive",
        _ when head.StartsWith((ReadOnlySpan<byte>)[0x7F, 0x45, 0x4C, 0x46]) => "a program (an ELF executable)",
        _ when IsWindowsProgram(head) => "a program (a Windows .exe or .dll)",
        _ => null,
    };

    /// <summary>
    /// UTF-16 text: with a byte-order mark, or without one (some exporters write "Unicode text" bare),
    /// recognised by the zero high bytes of Latin text falling on every other byte. Null otherwise.
    /// </summary>
    public static Encoding? Utf16(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode;
        }

        var probe = head[..(Math.Min(head.Length, Utf16Probe) & ~1)];
        var units = probe.Length / 2;
        if (units < 8)
        {
            return null;
        }

        int evenZeros = 0, oddZeros = 0;
        for (var i = 0; i < probe.Length; i += 2)
        {
            evenZeros += probe[i] == 0 ? 1 : 0;
            oddZeros += probe[i + 1] == 0 ? 1 : 0;
        }

        // Text never holds U+0000, so one half of the bytes has no zeros; in Latin text the other half is mostly zeros.
        return (oddZeros * 4 >= units * 3, evenZeros * 4 >= units * 3) switch
        {
            (true, false) when evenZeros == 0 => Encoding.Unicode,
            (false, true) when oddZeros == 0 => Encoding.BigEndianUnicode,
            _ => null,
        };
    }

    /// <summary>An MZ header whose pointer at 0x3C leads to the "PE\0\0" signature.</summary>
    private static bool IsWindowsProgram(ReadOnlySpan<byte> head)
    {
        if (head.Length < 0x40 || !head.StartsWith("MZ"u8))
        {
            return false;
        }

        var pe = BinaryPrimitives.ReadInt32LittleEndian(head[0x3C..]);
        return pe > 0 && pe <= head.Length - 4 && head[pe..].StartsWith("PE\0\0"u8);
    }
}
