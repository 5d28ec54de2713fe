using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Unicode;
using CsvHelper;
using CsvHelper.Configuration;

namespace ClvPortal.Core.Ingest;

/// <summary>
/// A user's transaction file, opened: format, encoding, delimiter, header, column mapping and date order
/// are detected from the first few megabytes (the user's overrides winning), and the rows are then read
/// in one streamed pass. Bad input stops <see cref="Open"/> or <see cref="ReadRows"/> with an
/// <see cref="InputProblemException"/> whose problem says what is wrong and what to do.
/// </summary>
public sealed class TransactionFile : IDisposable
{
    /// <summary>Bytes read up front for detection: enough rows (tens of thousands) to settle the date order.</summary>
    internal const int SampleBytes = 4 << 20;

    /// <summary>Records CsvHelper parses for column detection; more adds time, not certainty.</summary>
    private const int SampleRecords = 2000;

    private static readonly char[] DelimiterCandidates = [',', ';', '\t', '|'];

    private readonly Func<RecordReader> _openReader;
    private readonly Func<RowMapper> _createMapper;
    private readonly bool _skipFirstRecord;
    private readonly Func<double> _progress;
    private readonly IDisposable? _owned;
    private IReadOnlyList<SampleRecord> _sample = [];
    private bool _read;

    static TransactionFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private TransactionFile(FileDescription description, Func<RecordReader> openReader, Func<RowMapper> createMapper, bool skipFirstRecord, Func<double> progress, IDisposable? owned)
    {
        Description = description;
        _openReader = openReader;
        _createMapper = createMapper;
        _skipFirstRecord = skipFirstRecord;
        _progress = progress;
        _owned = owned;
    }

    public FileDescription Description { get; }

    /// <summary>Every worksheet of a workbook, in order (XLSX), otherwise empty: the sheets a user can choose from.</summary>
    internal IReadOnlyList<string> WorkbookSheets { get; private set; } = [];

    /// <summary>Fraction 0..1 of the input consumed so far, when the stream's length is known; otherwise 0 until the end.</summary>
    public double Progress => Math.Clamp(_progress(), 0, 1);

    public static TransactionFile Open(Stream stream, string fileName, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        fileName = Path.GetFileName(fileName ?? "");

        var totalLength = stream.CanSeek ? stream.Length - stream.Position : -1;
        var startPosition = stream.CanSeek ? stream.Position : 0;
        var prefix = new byte[SampleBytes];
        var prefixLength = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        var exhausted = prefixLength < prefix.Length;
        var head = prefix.AsSpan(0, prefixLength);
        var extension = Path.GetExtension(fileName).ToLowerInvariant();

        if (prefixLength == 0)
        {
            throw new InputProblemException(IngestProblems.Empty(fileName));
        }

        if (head.StartsWith("PK\u0003\u0004"u8) || head.StartsWith("PK\u0005\u0006"u8))
        {
            return OpenWorkbook(stream, startPosition, prefix, prefixLength, exhausted, fileName, options);
        }

        RejectOtherFormats(head, fileName, extension);

        var encoding = DetectEncoding(head, exhausted, fileName, out var encodingName);
        var sampleText = DecodeSample(head, encoding, exhausted, out var crOnly);
        if (string.IsNullOrWhiteSpace(sampleText))
        {
            throw new InputProblemException(IngestProblems.Empty(fileName));
        }

        var input = new InputStream(prefix, prefixLength, stream, exhausted);
        double Progress() => totalLength > 0 ? (double)input.Consumed / totalLength : 0;
        TextReader OpenText()
        {
            var text = new StreamReader(input, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            return crOnly ? new CarriageReturnReader(text) : text;
        }

        return IsCdnow(sampleText, out var cdnowHeader, out var cdnowFields)
            ? OpenCdnow(cdnowHeader, cdnowFields, encodingName, OpenText, Progress)
            : OpenCsv(fileName, options, sampleText, exhausted, encodingName, OpenText, Progress);
    }

    /// <summary>
    /// Every data row in file order, the detection sample included. Rows are never dropped here: what
    /// could not be read is null and named in <see cref="TransactionRow.Flaws"/>. Single pass: the
    /// input stream is consumed, so a second call throws.
    /// </summary>
    public IEnumerable<TransactionRow> ReadRows(CancellationToken cancellationToken = default)
    {
        if (_read)
        {
            throw new InvalidOperationException("ReadRows reads the stream once; open the file again to read it again.");
        }

        _read = true;
        return Rows(cancellationToken);
    }

    /// <summary>
    /// Parsing runs on its own thread, a few batches ahead of the caller, so on a 2-core machine the
    /// caller's cleaning and feature work overlaps the reading instead of waiting for it. Batches are
    /// recycled through a small pool: memory stays at a few batches whatever the file size.
    /// </summary>
    private IEnumerable<TransactionRow> Rows(CancellationToken cancellationToken)
    {
        const int BatchSize = 4096;
        const int BatchesInFlight = 4;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var full = new BlockingCollection<(TransactionRow[] Rows, int Count)>(BatchesInFlight);
        using var free = new BlockingCollection<TransactionRow[]>(BatchesInFlight + 2);
        Exception? failure = null;
        var producer = Task.Run(() =>
        {
            try
            {
                using var reader = _openReader();
                var mapper = _createMapper();
                if (_skipFirstRecord)
                {
                    reader.Read();
                }

                var batch = new TransactionRow[BatchSize];
                var count = 0;
                while (reader.Read())
                {
                    batch[count++] = mapper.Map(reader);
                    if (count == BatchSize)
                    {
                        full.Add((batch, count), stop.Token);
                        batch = free.TryTake(out var recycled) ? recycled : new TransactionRow[BatchSize];
                        count = 0;
                    }
                }

                if (count > 0)
                {
                    full.Add((batch, count), stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The caller stopped reading; nothing to report.
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                full.CompleteAdding();
            }
        }, CancellationToken.None);

        try
        {
            foreach (var (rows, count) in full.GetConsumingEnumerable(cancellationToken))
            {
                for (var i = 0; i < count; i++)
                {
                    yield return rows[i];
                }

                free.TryAdd(rows);
            }

            producer.Wait(CancellationToken.None);
            if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            // Stopped early (break, exception, cancellation): let the producer finish before the stream goes away.
            stop.Cancel();
            try
            {
                producer.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
                // Its failure, if any, was already surfaced above or is moot now.
            }
        }
    }

    /// <summary>
    /// The first <paramref name="count"/> data records as the file has them (dates of a workbook as text), from the
    /// detection sample; a CDNOW file, which keeps no sample, reads them from the stream, so it cannot be read again.
    /// </summary>
    internal IReadOnlyList<SampleRecord> ReadHead(int count)
    {
        if (_sample.Count > 0 || _read)
        {
            return _sample.Take(count).ToList();
        }

        _read = true;
        var head = new List<SampleRecord>(count);
        using var reader = _openReader();
        if (_skipFirstRecord)
        {
            reader.Read();
        }

        while (head.Count < count && reader.Read())
        {
            head.Add(new SampleRecord(reader.Line, reader.FieldsAsStrings()));
        }

        return head;
    }

    public void Dispose() => _owned?.Dispose();

    private static TransactionFile OpenCdnow(string[]? header, int fields, string encodingName, Func<TextReader> openText, Func<double> progress)
    {
        // CDNOW's documented layout: customer id, yyyymmdd, number of CDs bought, dollar value. The
        // number of CDs is not a unit count to multiply: the fourth column already is the order's value.
        // The copy shipped with the lifetimes library puts a row number first: row id, customer id, ...
        var columns = header ?? (fields == 5
            ? ["row_id", "customer_id", "date", "number_of_cds", "dollar_value"]
            : ["customer_id", "date", "number_of_cds", "dollar_value"]);
        var first = fields - 4;
        var mapping = new ColumnMapping { CustomerId = columns[first], Date = columns[first + 1], Quantity = columns[first + 2], Amount = columns[first + 3] };
        var indexes = new ColumnIndexes(first, first + 1, first + 3, first + 2, -1, -1, -1, -1);
        var dates = new DateLayout(false, false, DateOrder.Auto, "Dates are written yyyymmdd (CDNOW layout), so there is no day/month ambiguity.");
        var description = new FileDescription("cdnow", encodingName, "whitespace", false, [], columns, mapping, dates.Order, dates.Reason);
        return new TransactionFile(
            description,
            () => new CsvRecordReader(openText(), ' ', whitespaceSeparated: true),
            () => new RowMapper(indexes, columns.Length, decimalComma: false, dates, date1904: false),
            skipFirstRecord: header is not null,
            progress,
            owned: null);
    }

    private static TransactionFile OpenCsv(string fileName, IngestOptions options, string sampleText, bool exhausted, string encodingName, Func<TextReader> openText, Func<double> progress)
    {
        var delimiter = DetectDelimiter(sampleText);
        var records = ParseSample(sampleText, delimiter);
        if (records.Count == 0)
        {
            throw new InputProblemException(IngestProblems.Empty(fileName));
        }

        var hasHeader = ColumnDetector.LooksLikeHeader(records[0].Fields);
        var columns = hasHeader ? HeaderNames(records[0].Fields) : GeneratedNames(records.Max(r => r.Fields.Length));
        var data = hasHeader ? records.Skip(1).ToList() : records;
        if (data.Count == 0)
        {
            // More follows the sample, but nothing in it to recognise the columns by.
            throw new InputProblemException(exhausted
                ? IngestProblems.HeaderOnly(fileName, columns)
                : IngestProblems.OnlyEmptyRowsInSample(fileName, columns, SampleBytes));
        }

        var decimalComma = ColumnDetector.DetectDecimalComma(data);
        var store = StoreLayout.Detect(columns);
        var (mapping, indexes) = WithoutItemColumns(
            ColumnDetector.Map(columns, data, WithStoreColumns(options, store), decimalComma, options.DetectColumns, !options.AllowIncompleteMapping), store, options.Overrides);
        var dates = indexes.Date < 0
            ? NoDateColumn
            : ColumnDetector.DetectDateLayout(DateSample(sampleText, delimiter, indexes.Date, hasHeader), 0, options.DateOrder);
        var description = Described(new FileDescription(
            "csv", encodingName, delimiter == '\t' ? "tab" : delimiter.ToString(), decimalComma, [], columns, mapping, dates.Order, dates.Reason),
            store, data, indexes, options);
        var storeColumns = store is null ? null : StoreColumns.Resolve(store, columns);
        return new TransactionFile(
            description,
            () => new CsvRecordReader(openText(), delimiter, whitespaceSeparated: false),
            () => new RowMapper(indexes, columns.Count, decimalComma, dates, date1904: false, store: storeColumns),
            skipFirstRecord: hasHeader,
            progress,
            owned: null)
        {
            _sample = data,
        };
    }

    private static TransactionFile OpenWorkbook(Stream stream, long startPosition, byte[] prefix, int prefixLength, bool exhausted, string fileName, IngestOptions options)
    {
        Stream seekable;
        if (stream.CanSeek)
        {
            stream.Position = startPosition;
            seekable = stream;
        }
        else
        {
            // ZipArchive needs to seek (the directory is at the end): keep the compressed bytes, which
            // are a fraction of the uncompressed sheet, bounded by the same limit as the sheet.
            // A MemoryStream stops at 2 GB; 1 GB of compressed workbook is far beyond any real upload.
            var limit = Math.Min(options.MaxUncompressedBytes, 1L << 30);
            var copy = new MemoryStream();
            using var input = new InputStream(prefix, prefixLength, stream, exhausted);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                if (copy.Length + read > limit)
                {
                    throw new InputProblemException(IngestProblems.TooLarge(fileName, "the file itself", limit));
                }

                copy.Write(buffer, 0, read);
            }

            copy.Position = 0;
            seekable = copy;
        }

        var workbook = XlsxWorkbook.Open(seekable, fileName, options);
        try
        {
            var layout = workbook.Detect(SampleRecords);
            var columns = layout.Columns;
            if (layout.Sample.Count == 0)
            {
                throw new InputProblemException(IngestProblems.HeaderOnly(fileName, columns));
            }

            var store = StoreLayout.Detect(columns);
            var (mapping, indexes) = WithoutItemColumns(
                ColumnDetector.Map(columns, layout.Sample, WithStoreColumns(options, store), decimalComma: false, options.DetectColumns, !options.AllowIncompleteMapping), store, options.Overrides);
            // Date cells arrive as serial numbers in the full pass (see XlsxRecordReader), so serials are always accepted.
            var dates = (indexes.Date < 0 ? NoDateColumn : ColumnDetector.DetectDateLayout(layout.Sample, indexes.Date, options.DateOrder)) with { Serial = true };
            if (dates.Order == DateOrder.Auto)
            {
                dates = dates with { Reason = "Dates are stored as Excel dates or written year first, so there is no day/month ambiguity." };
            }

            var description = Described(new FileDescription(
                "xlsx", null, null, false, layout.Sheets, columns, mapping, dates.Order, dates.Reason),
                store, layout.Sample, indexes, options);
            var storeColumns = store is null ? null : StoreColumns.Resolve(store, columns);
            return new TransactionFile(
                description,
                () => workbook.OpenReader(layout.Sheets, layout.HasHeader, datesAsText: false),
                () => new RowMapper(indexes, columns.Count, decimalComma: false, dates, workbook.Date1904, shortRowsAreFlaws: false, storeColumns),
                skipFirstRecord: false,
                () => workbook.Progress,
                workbook)
            {
                _sample = layout.Sample,
                WorkbookSheets = workbook.SheetNames,
            };
        }
        catch
        {
            workbook.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A store export's own columns fill whatever the user did not choose, unless the user checked the mapping column
    /// by column (<see cref="IngestOptions.DetectColumns"/> off): the check step showed the store's columns already
    /// chosen, so a field set to "not in the file" there stays unread. The layout's rules (status, refunds, line items,
    /// customer fallbacks) apply either way: they follow the headers, not the mapping.
    /// </summary>
    private static ColumnMapping WithStoreColumns(IngestOptions options, StoreLayout? store)
    {
        var overrides = options.Overrides;
        return store is null || !options.DetectColumns ? overrides : overrides with
        {
            CustomerId = overrides.CustomerId ?? store.Mapping.CustomerId,
            Date = overrides.Date ?? store.Mapping.Date,
            // A user who chose quantity and price instead of an amount gets them, not the store's total.
            Amount = overrides.Amount ?? (overrides.Quantity is null && overrides.UnitPrice is null ? store.Mapping.Amount : null),
            InvoiceId = overrides.InvoiceId ?? store.Mapping.InvoiceId,
        };
    }

    /// <summary>
    /// A store export's order total is the amount: a line item's quantity and price (Shopify's "Lineitem quantity") describe
    /// one item of the order, and a free gift listed first must not make the whole order a zero-price sale.
    /// </summary>
    private static (ColumnMapping Mapping, ColumnIndexes Indexes) WithoutItemColumns((ColumnMapping Mapping, ColumnIndexes Indexes) map, StoreLayout? store, ColumnMapping overrides) =>
        store is null || map.Indexes.Amount < 0 || overrides.Quantity is not null || overrides.UnitPrice is not null
            ? map
            : (map.Mapping with { Quantity = null, UnitPrice = null }, map.Indexes with { Quantity = -1, UnitPrice = -1 });

    /// <summary>The description with the store layout and the currency the sample shows.</summary>
    private static FileDescription Described(FileDescription description, StoreLayout? store, IReadOnlyList<SampleRecord> sample, ColumnIndexes indexes, IngestOptions options)
    {
        var currencyColumn = CurrencyDetector.FindColumn(description.Columns, store?.Currency);
        var (currency, reason) = CurrencyDetector.Detect(description.Columns, sample, currencyColumn, indexes.Amount, indexes.UnitPrice, options.Currency);
        return description with { Export = store?.Name, Currency = currency, CurrencyReason = reason };
    }

    /// <summary>The date layout of a preview whose date column is not chosen yet.</summary>
    private static readonly DateLayout NoDateColumn = new(false, false, DateOrder.Auto, "No date column is chosen yet.");

    private static void RejectOtherFormats(ReadOnlySpan<byte> head, string fileName, string extension)
    {
        if (head.StartsWith(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }))
        {
            throw new InputProblemException(extension == ".xls" ? IngestProblems.LegacyExcel(fileName) : IngestProblems.OleDocument(fileName));
        }

        if (FileSignatures.OtherFormat(head) is { } what)
        {
            throw new InputProblemException(IngestProblems.KnownOtherFormat(fileName, what));
        }

        if (extension is ".xlsx" or ".xlsm" or ".xltx")
        {
            throw new InputProblemException(IngestProblems.NotAWorkbook(fileName));
        }

        if (extension == ".xls")
        {
            throw new InputProblemException(IngestProblems.LegacyExcel(fileName));
        }
    }

    /// <summary>
    /// BOM first; then UTF-16 without one; then UTF-8 if the bytes are UTF-8, tolerating a few broken
    /// bytes among many valid multi-byte characters; otherwise Windows-1252 (what Excel on Windows writes as "CSV").
    /// </summary>
    private static Encoding DetectEncoding(ReadOnlySpan<byte> head, bool exhausted, string fileName, out string name)
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

    /// <param name="crOnly">Set when lines end with a lone CR (classic Mac OS); the sample is returned with LFs instead.</param>
    private static string DecodeSample(ReadOnlySpan<byte> head, Encoding encoding, bool exhausted, out bool crOnly)
    {
        var text = encoding.GetString(head);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        crOnly = !text.Contains('\n', StringComparison.Ordinal) && text.Contains('\r', StringComparison.Ordinal);
        if (crOnly)
        {
            text = text.Replace('\r', '\n');
        }

        if (exhausted)
        {
            return text;
        }

        var lastNewline = text.LastIndexOf('\n');
        if (lastNewline < 0 || text.IndexOf('\n', StringComparison.Ordinal) > CsvRecordReader.MaxRecordChars)
        {
            throw new InputProblemException(IngestProblems.LineTooLong(1, CsvRecordReader.MaxRecordChars));
        }

        // The sample ends inside a line longer than any record may be (a 20 MB cell): name that line,
        // rather than detect the file from the lines before it and report them as all there is.
        if (text.Length - lastNewline - 1 > CsvRecordReader.MaxRecordChars)
        {
            throw new InputProblemException(IngestProblems.LineTooLong(text.AsSpan(0, lastNewline + 1).Count('\n') + 1, CsvRecordReader.MaxRecordChars));
        }

        return text[..(lastNewline + 1)];
    }

    /// <summary>
    /// The CDNOW layout: four whitespace-separated numbers per line, the second yyyymmdd; some copies
    /// carry a header line of four names ("customer_id date number_of_cds dollar_value"). lifetimes'
    /// copy (CDNOW_sample.txt) has five, a row number first (" 00004 0001 19970101 2 29.33", CRLF).
    /// </summary>
    private static bool IsCdnow(string sample, out string[]? header, out int fields)
    {
        header = null;
        fields = 0;
        var checkedLines = 0;
        foreach (var line in sample.AsSpan().EnumerateLines())
        {
            if (line.IsWhiteSpace())
            {
                continue;
            }

            if (line.IndexOfAny(",;|\t") >= 0)
            {
                return false;
            }

            var parts = new List<string>(4);
            var trimmed = line.Trim();
            foreach (var range in trimmed.SplitAny(' ', '\t'))
            {
                if (!trimmed[range].IsEmpty)
                {
                    parts.Add(trimmed[range].ToString());
                }
            }

            if (parts.Count is not (4 or 5) || fields != 0 && parts.Count != fields)
            {
                return false;
            }

            fields = parts.Count;
            if (checkedLines == 0 && header is null && parts.All(p => !NumberParser.TryParse(p, false, out _)))
            {
                header = [.. parts];
                continue;
            }

            static bool Digits(string part) => part.Length > 0 && !part.AsSpan().ContainsAnyExceptInRange('0', '9');
            var first = fields - 4;
            var fits = (first == 0 || Digits(parts[0])) && Digits(parts[first]) &&
                parts[first + 1].Length == 8 && Digits(parts[first + 1]) &&
                NumberParser.TryParse(parts[first + 2], false, out _) && NumberParser.TryParse(parts[first + 3], false, out _);
            if (!fits)
            {
                return false;
            }

            if (++checkedLines == 20)
            {
                break;
            }
        }

        return checkedLines > 0;
    }

    /// <summary>The candidate that splits the first lines into the same, largest number of fields.</summary>
    private static char DetectDelimiter(string sample)
    {
        var lines = new List<string>();
        foreach (var line in sample.AsSpan().EnumerateLines())
        {
            if (!line.IsWhiteSpace())
            {
                lines.Add(line.ToString());
                if (lines.Count == 50)
                {
                    break;
                }
            }
        }

        var best = ',';
        var bestScore = (Consistency: -1.0, Count: 0);
        foreach (var candidate in DelimiterCandidates)
        {
            var counts = lines.Select(l => CountOutsideQuotes(l, candidate)).ToList();
            var headerCount = counts[0];
            if (headerCount == 0)
            {
                continue;
            }

            var consistency = counts.Count(c => c == headerCount) / (double)counts.Count;
            if (consistency > bestScore.Consistency + 1e-9 || Math.Abs(consistency - bestScore.Consistency) < 1e-9 && headerCount > bestScore.Count)
            {
                best = candidate;
                bestScore = (consistency, headerCount);
            }
        }

        return best;
    }

    private static int CountOutsideQuotes(string line, char delimiter)
    {
        var count = 0;
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == delimiter && !quoted)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>CsvHelper parses the detection sample: the general RFC 4180 path, with every quirk it knows.</summary>
    private static List<SampleRecord> ParseSample(string sample, char delimiter)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            BadDataFound = null,
            MissingFieldFound = null,
            IgnoreBlankLines = true,
            DetectColumnCountChanges = false,
            Mode = CsvMode.RFC4180,
        };
        using var parser = new CsvParser(new StringReader(sample), configuration);
        var records = new List<SampleRecord>();
        while (records.Count < SampleRecords && parser.Read())
        {
            var fields = parser.Record!;
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            records.Add(new SampleRecord(parser.RawRow, fields));
        }

        return records;
    }

    /// <summary>
    /// The date column over the whole sample (tens of thousands of rows, not just the 2,000 used for
    /// mapping): exports sorted by date can go for a week before a day above 12 settles the order.
    /// Consecutive repeats are skipped; they add no evidence.
    /// </summary>
    private static List<SampleRecord> DateSample(string sample, char delimiter, int dateColumn, bool hasHeader)
    {
        // The sample is cut at a line end, which may fall inside a quoted value spanning lines.
        using var reader = new CsvRecordReader(new StringReader(sample), delimiter, whitespaceSeparated: false, inputMayEndInQuotes: true);
        var values = new List<SampleRecord>();
        if (hasHeader)
        {
            reader.Read();
        }

        var previous = "";
        while (reader.Read())
        {
            var field = dateColumn < reader.FieldCount ? reader.Field(dateColumn) : [];
            if (!field.SequenceEqual(previous))
            {
                previous = field.ToString();
                values.Add(new SampleRecord(reader.Line, [previous]));
            }
        }

        return values;
    }

    private static List<string> HeaderNames(string[] header)
    {
        var names = new List<string>(header.Length);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim();
            if (name.Length == 0 || !seen.Add(name))
            {
                name = $"Column {i + 1}";
                seen.Add(name);
            }

            names.Add(name);
        }

        return names;
    }

    private static List<string> GeneratedNames(int count) => Enumerable.Range(1, count).Select(i => $"Column {i}").ToList();
}
