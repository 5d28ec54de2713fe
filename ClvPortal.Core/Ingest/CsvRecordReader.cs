using System.Buffers;

namespace ClvPortal.Core.Ingest;

/// <summary>
/// The full-file pass over delimited text, written by hand for speed after CsvHelper has parsed the
/// detection sample: CsvHelper's parser hands out a new string per field, which for a 1M-row,
/// 8-column file is 8M strings and most of the time budget. Lines without quotes (nearly all of
/// them) are split in place with vectorised IndexOf; a line with a quote takes the RFC 4180 path
/// (doubled quotes, delimiters and newlines inside quotes). Whitespace mode splits on runs of
/// spaces/tabs for the CDNOW text format. Records longer than <see cref="MaxRecordChars"/> stop with
/// a message instead of growing without bound (a 50 MB single line, a never-closed quote), and so does
/// a quote still open at the end of the input. Rows of nothing but delimiters (",,,", a spreadsheet's
/// used range running past its data) are skipped like blank lines.
/// </summary>
/// <param name="inputMayEndInQuotes">For the detection sample, which is cut at a line end that may fall inside a quoted value.</param>
internal sealed class CsvRecordReader(TextReader reader, char delimiter, bool whitespaceSeparated, bool inputMayEndInQuotes = false) : RecordReader
{
    public const int MaxRecordChars = 1 << 20;

    private static readonly SearchValues<char> NewlineOrQuote = SearchValues.Create("\n\"");
    private static readonly SearchValues<char> Newline = SearchValues.Create("\n");

    private char[] _buffer = new char[1 << 16];
    private int _position;
    private int _length;
    private bool _endOfInput;
    private long _nextLine = 1;
    private long _line;

    private int[] _starts = new int[16];
    private int[] _lengths = new int[16];
    private int _count;
    private char[] _scratch = new char[256];
    private bool _fromScratch;
    private int _recordStart;
    private int _recordLength;

    public override int FieldCount => _count;

    public override long Line => _line;

    public override ReadOnlySpan<char> Field(int index) =>
        (_fromScratch ? _scratch : _buffer).AsSpan(_starts[index], _lengths[index]);

    public override ReadOnlySpan<char> RecordText =>
        whitespaceSeparated ? [] : (_fromScratch ? _scratch : _buffer).AsSpan(_recordStart, _recordLength);

    public override bool Read()
    {
        var stops = whitespaceSeparated ? Newline : NewlineOrQuote;
        while (true)
        {
            if (_position >= _length && !Fill())
            {
                return false;
            }

            var pending = _buffer.AsSpan(_position, _length - _position);
            var stop = pending.IndexOfAny(stops);
            if (stop < 0 && !_endOfInput)
            {
                if (!Fill())
                {
                    return false;
                }

                continue;
            }

            if (stop >= 0 && pending[stop] == '"')
            {
                ReadQuotedRecord();
                if (IsEmptyRecord())
                {
                    continue;
                }

                return true;
            }

            var lineLength = stop < 0 ? pending.Length : stop;
            var start = _position;
            _position += stop < 0 ? pending.Length : stop + 1;
            _line = _nextLine++;
            var line = _buffer.AsSpan(start, lineLength);
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            if (line.IsWhiteSpace() || !whitespaceSeparated && line.IndexOfAnyExcept(delimiter, ' ', '\t') < 0)
            {
                continue;
            }

            _fromScratch = false;
            _recordStart = start;
            _recordLength = line.Length;
            if (whitespaceSeparated)
            {
                SplitWhitespace(line, start);
            }
            else
            {
                SplitDelimited(line, start);
            }

            return true;
        }
    }

    private void SplitDelimited(ReadOnlySpan<char> line, int offset)
    {
        _count = 0;
        var fieldStart = 0;
        while (true)
        {
            var next = line[fieldStart..].IndexOf(delimiter);
            if (next < 0)
            {
                AddField(offset + fieldStart, line.Length - fieldStart);
                return;
            }

            AddField(offset + fieldStart, next);
            fieldStart += next + 1;
        }
    }

    private void SplitWhitespace(ReadOnlySpan<char> line, int offset)
    {
        _count = 0;
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && line[i] is ' ' or '\t')
            {
                i++;
            }

            var start = i;
            while (i < line.Length && line[i] is not (' ' or '\t'))
            {
                i++;
            }

            if (i > start)
            {
                AddField(offset + start, i - start);
            }
        }
    }

    /// <summary>RFC 4180 for one record, unescaping into a scratch buffer so refills may move the input buffer.</summary>
    private void ReadQuotedRecord()
    {
        _count = 0;
        _fromScratch = true;
        _recordStart = 0;
        _line = _nextLine;
        var used = 0;
        var fieldStart = 0;
        var inQuotes = false;
        var atFieldStart = true;
        while (true)
        {
            if (_position >= _length && !Fill())
            {
                if (inQuotes && !inputMayEndInQuotes)
                {
                    throw new InputProblemException(IngestProblems.UnclosedQuote(_line));
                }

                AddField(fieldStart, used - fieldStart);
                _nextLine++;
                _recordLength = used;
                return;
            }

            var c = _buffer[_position];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (_position + 1 >= _length && !_endOfInput)
                    {
                        Fill();
                        continue;
                    }

                    if (_position + 1 < _length && _buffer[_position + 1] == '"')
                    {
                        Append('"', ref used);
                        _position += 2;
                    }
                    else
                    {
                        inQuotes = false;
                        _position++;
                    }

                    continue;
                }

                if (c == '\n')
                {
                    _nextLine++;
                }

                Append(c, ref used);
                _position++;
                continue;
            }

            if (c == '"' && atFieldStart)
            {
                inQuotes = true;
                atFieldStart = false;
                _position++;
                continue;
            }

            if (c == delimiter)
            {
                AddField(fieldStart, used - fieldStart);
                // Kept between fields so RecordText reads like the line, unescaped.
                Append(delimiter, ref used);
                fieldStart = used;
                atFieldStart = true;
                _position++;
                continue;
            }

            if (c == '\n')
            {
                if (used > fieldStart && _scratch[used - 1] == '\r')
                {
                    used--;
                }

                AddField(fieldStart, used - fieldStart);
                _position++;
                _nextLine++;
                _recordLength = used;
                return;
            }

            // A stray quote inside an unquoted field is kept as text, as spreadsheets do.
            atFieldStart = false;
            Append(c, ref used);
            _position++;
        }
    }

    private bool IsEmptyRecord()
    {
        var scratch = _scratch.AsSpan();
        for (var i = 0; i < _count; i++)
        {
            if (!scratch.Slice(_starts[i], _lengths[i]).IsWhiteSpace())
            {
                return false;
            }
        }

        return true;
    }

    private void Append(char c, ref int used)
    {
        if (used == _scratch.Length)
        {
            if (used >= MaxRecordChars)
            {
                throw RecordTooLong();
            }

            Array.Resize(ref _scratch, used * 2);
        }

        _scratch[used++] = c;
    }

    private void AddField(int start, int length)
    {
        if (_count == _starts.Length)
        {
            Array.Resize(ref _starts, _count * 2);
            Array.Resize(ref _lengths, _count * 2);
        }

        _starts[_count] = start;
        _lengths[_count] = length;
        _count++;
    }

    /// <summary>Keeps the unread part, reads more; grows the buffer only while one record does not fit.</summary>
    private bool Fill()
    {
        if (_endOfInput)
        {
            return _position < _length;
        }

        var unread = _length - _position;
        if (unread >= MaxRecordChars)
        {
            throw RecordTooLong();
        }

        if (_position > 0)
        {
            Array.Copy(_buffer, _position, _buffer, 0, unread);
            _position = 0;
            _length = unread;
        }

        if (_length == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = reader.Read(_buffer, _length, _buffer.Length - _length);
        if (read == 0)
        {
            _endOfInput = true;
        }

        _length += read;
        return _position < _length;
    }

    private InputProblemException RecordTooLong() => new(IngestProblems.LineTooLong(_nextLine, MaxRecordChars));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            reader.Dispose();
        }
    }
}
