using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace ClvPortal.Core.Ingest;

/// <summary>The encoding of a text file from its first bytes, and the detection sample decoded with it.</summary>
internal static class TextEncodingDetector
{
    static TextEncodingDetector() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>
    /// BOM first; then UTF-16 without one; then UTF-8 if the bytes are UTF-8, tolerating a few broken
    /// bytes among many valid multi-byte characters; otherwise Windows-1252 (what Excel on Windows writes as "CSV").
    /// </summary>
    public static Encoding Detect(ReadOnlySpan<byte> head, bool exhausted, string fileName, out string name)
    {
        if (head.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }))
        {
            name = "utf-8 (BOM)";
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        }

        if (head.StartsWith(new byte[] { 0xFF, 0xFE }))
        {
            name = "utf-16le";
            return Encoding.Unicode;
        }

        if (head.StartsWith(new byte[] { 0xFE, 0xFF }))
        {
            name = "utf-16be";
            return Encoding.BigEndianUnicode;
        }

        if (FileSignatures.Utf16(head) is { } utf16)
        {
            name = utf16.CodePage == Encoding.Unicode.CodePage ? "utf-16le (no byte-order mark)" : "utf-16be (no byte-order mark)";
            return utf16;
        }

        var probe = head[..Math.Min(head.Length, 1 << 16)];
        var control = 0;
        foreach (var b in probe)
        {
            if (b == 0)
            {
                throw new InputProblemException(IngestProblems.Binary(fileName));
            }

            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C))
            {
                control++;
            }
        }

        if (control * 200 > probe.Length)
        {
            throw new InputProblemException(IngestProblems.Binary(fileName));
        }

        var text = exhausted ? head : WithoutCutCharacter(head);
        if (Utf8.IsValid(text))
        {
            name = "utf-8";
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        }

        // A UTF-8 export with a stray byte from elsewhere (a pasted note) must not turn every accented
        // name into mojibake; Windows-1252 text almost never forms valid multi-byte UTF-8 sequences.
        var (multiByte, invalid) = CountUtf8Sequences(text);
        if (multiByte >= 4 * invalid)
        {
            name = "utf-8 (invalid bytes shown as \uFFFD)";
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        }

        name = "windows-1252";
        return Encoding.GetEncoding(1252);
    }

    /// <summary>Valid characters of two to four bytes, and bytes that start no valid character.</summary>
    private static (int MultiByte, int Invalid) CountUtf8Sequences(ReadOnlySpan<byte> bytes)
    {
        int multiByte = 0, invalid = 0;
        while (!bytes.IsEmpty)
        {
            var ascii = bytes.IndexOfAnyInRange((byte)0x80, (byte)0xFF);
            if (ascii < 0)
            {
                break;
            }

            if (Rune.DecodeFromUtf8(bytes[ascii..], out _, out var consumed) == OperationStatus.Done)
            {
                multiByte++;
            }
            else
            {
                invalid++;
            }

            bytes = bytes[(ascii + Math.Max(consumed, 1))..];
        }

        return (multiByte, invalid);
    }

    /// <summary>The sample may end in the middle of a multi-byte character; drop that partial character.</summary>
    private static ReadOnlySpan<byte> WithoutCutCharacter(ReadOnlySpan<byte> head)
    {
        var end = head.Length;
        var back = 0;
        while (end > 0 && back < 4 && (head[end - 1] & 0xC0) == 0x80)
        {
            end--;
            back++;
        }

        return end > 0 && head[end - 1] >= 0xC0 ? head[..(end - 1)] : head[..end];
    }

    /// <summary>
    /// The sample as text, cut after its last complete line. Lines that end with a lone CR (classic Mac OS) are
    /// returned with LFs, for the line-based checks here; CsvHelper reads either ending in the full pass.
    /// </summary>
    public static string DecodeSample(ReadOnlySpan<byte> head, Encoding encoding, bool exhausted)
    {
        var text = encoding.GetString(head);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        if (!text.Contains('\n', StringComparison.Ordinal) && text.Contains('\r', StringComparison.Ordinal))
        {
            text = text.Replace('\r', '\n');
        }

        if (exhausted)
        {
            return text;
        }

        var lastNewline = text.LastIndexOf('\n');
        if (lastNewline < 0 || text.IndexOf('\n', StringComparison.Ordinal) > CsvRecords.MaxRecordBytes)
        {
            throw new InputProblemException(IngestProblems.LineTooLong(1, CsvRecords.MaxRecordBytes));
        }

        // The sample ends inside a line longer than any record may be (a 20 MB cell): name that line,
        // rather than detect the file from the lines before it and report them as all there is.
        if (text.Length - lastNewline - 1 > CsvRecords.MaxRecordBytes)
        {
            throw new InputProblemException(IngestProblems.LineTooLong(text.AsSpan(0, lastNewline + 1).Count('\n') + 1, CsvRecords.MaxRecordBytes));
        }

        return text[..(lastNewline + 1)];
    }
}
