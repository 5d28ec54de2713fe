using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using CsvHelper;

namespace ClvPortal.Core.Ingest;

/// <summary>
/// Delimited text read by CsvHelper, which splits UTF-8 bytes into records and fields (RFC 4180 quoting,
/// LF, CRLF or lone-CR line ends) and transcodes other encodings to UTF-8 on the way in. An ASCII record's fields are
/// offered as their bytes (<see cref="AsciiField"/>); a field becomes UTF-16 only when asked for (an ASCII record's
/// widened in place, at its bytes' offset). On top of
/// CsvHelper: rows of nothing but separators and blanks (",,,", a spreadsheet's used range running past
/// its data) are skipped like blank lines; a record longer than <see cref="MaxRecordBytes"/> (a 50 MB
/// single line) or a quote never closed stops with the line it starts on; whitespace mode splits on runs
/// of spaces and tabs, for the CDNOW text format.
/// </summary>
internal sealed class CsvRecords : RecordReader
{
    /// <summary>The longest record read, in bytes of UTF-8: far beyond any real transaction, and it bounds memory.</summary>
    public const int MaxRecordBytes = 1 << 20;

    // The reader whose current record this is: the file's own, or in a parallel pass the worker's the record was given to.
    private CsvReader _reader;
    private readonly bool _whitespaceSeparated;
    private readonly byte _separator;

    // Outside the ASCII fast path, field i's UTF-16 text, decoded on first use: _charStarts[i] < 0 until then.
    private int[] _charStarts = new int[16];
    private int[] _charLengths = new int[16];
    private char[] _chars = new char[256];
    private int _charsUsed;

    // Whitespace mode: the fields' byte ranges in the raw record, which CsvHelper reads as one field per line.
    private int[] _byteStarts = new int[16];
    private int[] _byteLengths = new int[16];
    private int _count;
    private byte[] _unescaped = new byte[256];
    private int _unescapedLength;
    private bool _quoted;
    private bool _ascii;

    private CsvRecords(CsvReader reader, bool whitespaceSeparated, byte separator)
    {
        _reader = reader;
        _whitespaceSeparated = whitespaceSeparated;
        _separator = separator;
    }

    /// <summary>The full pass over a file: a quote never closed stops it with the line that opens the quote.</summary>
    /// <param name="encoding">Null for UTF-8 (invalid bytes become U+FFFD when decoded); otherwise the file's encoding, transcoded to UTF-8.</param>
    public static CsvRecords Open(Stream input, Encoding? encoding, char separator) =>
        new(CsvReader.Create(input, Options(separator, encoding) with { OnMalformedRecord = StopAtUnclosedQuote }, leaveOpen: false), false, (byte)separator);

    /// <summary>The CDNOW text format: fields separated by runs of spaces or tabs, no quoting.</summary>
    public static CsvRecords OpenWhitespaceSeparated(Stream input, Encoding? encoding) =>
        new(CsvReader.Create(input, Options(' ', encoding) with { Mode = CsvMode.NoEscape }, leaveOpen: false), true, (byte)' ');

    /// <summary>
    /// The detection sample, decoded already. Its end was cut at a line end that may fall inside a quoted
    /// value, so an open quote there runs to the end of the sample instead of stopping the reading.
    /// </summary>
    /// <param name="separator">Null to let CsvHelper choose among , ; tab and | by how consistently each splits the first lines.</param>
    public static CsvRecords FromSample(string sample, char? separator)
    {
        var reader = CsvReader.FromText(sample, Options(separator, null));
        return new(reader, false, (byte)reader.Separator);
    }

    public char Separator => (char)_separator;

    public override int FieldCount => _count;

    public override long Line => _reader.LineNumber;

    public override ReadOnlySpan<byte> RecordBytes => _whitespaceSeparated ? [] : _quoted ? _unescaped.AsSpan(0, _unescapedLength) : _reader.RawRecord;

    /// <summary>
    /// Maps the remaining records on every core with CsvHelper's parallel enumeration, the results in file
    /// order: one thread at a time splits the input into records (so quoting, line numbers and malformed-record
    /// handling are exactly those of <see cref="Read"/>), and each worker maps the records handed to it with a
    /// mapper of its own from <paramref name="createMap"/>, so a map may keep state, but only about records of
    /// its own worker. A row of empty cells becomes <paramref name="blank"/>, for the caller to skip.
    /// </summary>
    /// <param name="threads">How many workers map records; 0 for one per core.</param>
    public IEnumerable<T> MapInParallel<T>(Func<Func<RecordReader, T>> createMap, T blank, int threads)
    {
        using var workers = new ThreadLocal<(CsvRecords View, Func<RecordReader, T> Map)>(
            () => (new CsvRecords(_reader, _whitespaceSeparated, _separator), createMap()));
        using var results = _reader.ParallelEnumerate(
            reader =>
            {
                var (view, map) = workers.Value;
                view._reader = reader;
                return view.Load() ? map(view) : blank;
            },
            maxDegreeOfParallelism: threads > 0 ? threads : -1).GetEnumerator();
        while (true)
        {
            try
            {
                if (!results.MoveNext())
                {
                    yield break;
                }
            }
            catch (CsvFormatException e)
            {
                throw RecordTooLong(e);
            }

            yield return results.Current;
        }
    }

    public override bool Read()
    {
        try
        {
            while (_reader.Read())
            {
                if (Load())
                {
                    return true;
                }
            }

            return false;
        }
        catch (CsvFormatException e)
        {
            throw RecordTooLong(e);
        }
    }

    public override bool IsAscii => _ascii;

    public override ReadOnlySpan<byte> AsciiField(int index) => _ascii ? _reader.GetRawSpan(index) : base.AsciiField(index);

    public override ReadOnlySpan<char> Field(int index)
    {
        if (_ascii)
        {
            // Widened on first use, at the same offset as its bytes: the fields a mapper never asks for cost nothing.
            var field = _reader.GetRawSpan(index);
            var offset = (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(_reader.RawRecord), ref MemoryMarshal.GetReference(field));
            var chars = _chars.AsSpan(offset, field.Length);
            if (_charStarts[index] < 0)
            {
                Ascii.ToUtf16(field, chars, out _);
                _charStarts[index] = offset;
            }

            return chars;
        }

        if (_charStarts[index] < 0)
        {
            Decode(index);
        }

        return _chars.AsSpan(_charStarts[index], _charLengths[index]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reader.Dispose();
        }
    }

    /// <summary>Takes in the reader's current record; false for a row of empty cells, skipped like a blank line.</summary>
    private bool Load()
    {
        var raw = _reader.RawRecord;
        if (_whitespaceSeparated ? raw.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0 : raw.IndexOfAnyExcept(_separator, (byte)' ', (byte)'\t') < 0)
        {
            return false;
        }

        _count = _whitespaceSeparated ? SplitWhitespace(raw) : _reader.FieldCount;
        if (_charStarts.Length < _count)
        {
            Array.Resize(ref _charStarts, Math.Max(_count, _charStarts.Length * 2));
            Array.Resize(ref _charLengths, _charStarts.Length);
        }

        _charsUsed = 0;
        _charStarts.AsSpan(0, _count).Fill(-1);
        _quoted = !_whitespaceSeparated && raw.Contains((byte)'"');
        if (_whitespaceSeparated || _quoted)
        {
            _ascii = false;
            return !_quoted || Unescape();
        }

        // Nearly every record has no quotes and is ASCII: its fields are the raw bytes CsvHelper found, each widened
        // to UTF-16 at the same offset as its bytes when first asked for.
        _ascii = Ascii.IsValid(raw);
        if (_ascii && _chars.Length < raw.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, raw.Length));
        }

        return true;
    }

    // With malformed quoting recovered (and an unclosed quote stopped by its callback), what CsvHelper still
    // refuses is a record past MaxRecordSize: a huge line, or a quote whose value swallows the file.
    private static InputProblemException RecordTooLong(CsvFormatException e) => new(IngestProblems.LineTooLong(e.LineNumber, MaxRecordBytes));

    private static CsvReaderOptions Options(char? separator, Encoding? encoding) => CsvReaderOptions.Default with
    {
        HasHeader = false,
        Separator = separator,
        Encoding = encoding,
        TrackLineNumbers = true,
        MaxRecordSize = MaxRecordBytes,
    };

    private static void StopAtUnclosedQuote(CsvMalformedRecord record)
    {
        // Other malformed quoting is recovered as spreadsheets read it: a stray quote is text, "ab"c reads abc.
        if (record.Reason == CsvMalformedReason.UnterminatedQuote)
        {
            throw new InputProblemException(IngestProblems.UnclosedQuote(record.LineNumber));
        }
    }

    private ReadOnlySpan<byte> Bytes(int index) =>
        _whitespaceSeparated ? _reader.RawRecord.Slice(_byteStarts[index], _byteLengths[index]) : _reader.GetSpan(index);

    private void Decode(int index)
    {
        var bytes = Bytes(index);
        if (_chars.Length - _charsUsed < bytes.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _charsUsed + bytes.Length));
        }

        // UTF-8 never needs more UTF-16 code units than bytes; invalid bytes become U+FFFD, as a StreamReader shows them.
        Utf8.ToUtf16(bytes, _chars.AsSpan(_charsUsed), out _, out var written);
        _charStarts[index] = _charsUsed;
        _charLengths[index] = written;
        _charsUsed += written;
    }

    /// <summary>
    /// The fields of a record with quotes, unquoted and joined by the separator, for the fingerprint (so
    /// <c>"a",b</c> and <c>a,b</c> are the same row); false when every field is blank, a row to skip.
    /// </summary>
    private bool Unescape()
    {
        _unescapedLength = 0;
        var blank = true;
        for (var i = 0; i < _count; i++)
        {
            var field = _reader.GetSpan(i);
            blank &= field.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0;
            if (_unescaped.Length < _unescapedLength + field.Length + 1)
            {
                Array.Resize(ref _unescaped, Math.Max(_unescaped.Length * 2, _unescapedLength + field.Length + 1));
            }

            if (i > 0)
            {
                _unescaped[_unescapedLength++] = _separator;
            }

            field.CopyTo(_unescaped.AsSpan(_unescapedLength));
            _unescapedLength += field.Length;
        }

        return !blank;
    }

    private int SplitWhitespace(ReadOnlySpan<byte> line)
    {
        var count = 0;
        var i = 0;
        while (true)
        {
            var start = line[i..].IndexOfAnyExcept((byte)' ', (byte)'\t');
            if (start < 0)
            {
                return count;
            }

            i += start;
            var length = line[i..].IndexOfAny((byte)' ', (byte)'\t');
            length = length < 0 ? line.Length - i : length;
            if (count == _byteStarts.Length)
            {
                Array.Resize(ref _byteStarts, count * 2);
                Array.Resize(ref _byteLengths, count * 2);
            }

            _byteStarts[count] = i;
            _byteLengths[count] = length;
            count++;
            i += length;
        }
    }
}
