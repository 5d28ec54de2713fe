using System.Text;

namespace ClvPortal.Core.Ingest;

/// <summary>
/// A user's transaction file, opened: format, encoding, delimiter, header, column mapping and date order
/// are detected from the first few megabytes (the user's overrides winning), and the rows are then read
/// in one streamed pass. Bad input stops <see cref="Open"/> or <see cref="ReadRows"/> with an
/// <see cref="InputProblemException"/> whose problem says what is wrong and what to do.
/// </summary>
/// <remarks>
/// One job per file: this one sniffs the format and holds the opened file; <c>.Csv</c> and <c>.Xlsx</c> open each
/// format, <c>.Mapping</c> turns detected columns into the mapping, <c>.Rows</c> is the row loop they share.
/// </remarks>
public sealed partial class TransactionFile : IDisposable
{
    /// <summary>Bytes read up front for detection: enough rows (tens of thousands) to settle the date order.</summary>
    internal const int SampleBytes = 4 << 20;

    /// <summary>Records parsed for column detection; more adds time, not certainty.</summary>
    private const int SampleRecords = 2000;

    private readonly Func<RecordReader> _openReader;
    private readonly Func<RowMapper> _createMapper;
    private readonly bool _skipFirstRecord;
    private readonly Func<double> _progress;
    private readonly IDisposable? _owned;
    private IReadOnlyList<SampleRecord> _sample = [];
    private bool _read;

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

    /// <summary>
    /// About how many rows the file has, from its size and the line ends in the detection sample; 0 when the size is
    /// unknown (a stream that cannot seek) or for a workbook. A hint for sizing, never a count to report.
    /// </summary>
    public long EstimatedRows { get; private set; }

    /// <summary>How many threads map records to rows (<see cref="IngestOptions.ReadThreads"/>): 0 for one per core.</summary>
    private int _readThreads;

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

        var encoding = TextEncodingDetector.Detect(head, exhausted, fileName, out var encodingName);
        var sampleText = TextEncodingDetector.DecodeSample(head, encoding, exhausted);
        if (string.IsNullOrWhiteSpace(sampleText))
        {
            throw new InputProblemException(IngestProblems.Empty(fileName));
        }

        var input = new InputStream(prefix, prefixLength, stream, exhausted);
        double Progress() => totalLength > 0 ? (double)input.Consumed / totalLength : 0;
        // UTF-8 goes to CsvHelper as it is (byte-order mark honoured); other encodings are transcoded by it.
        var csvEncoding = encoding is UTF8Encoding ? null : encoding;
        var file = CdnowFormat.Recognize(sampleText, out var cdnowHeader, out var cdnowFields)
            ? OpenCdnow(cdnowHeader, cdnowFields, encodingName, () => CsvRecords.OpenWhitespaceSeparated(input, csvEncoding), Progress)
            : OpenCsv(fileName, options, sampleText, exhausted, encodingName, separator => CsvRecords.Open(input, csvEncoding, separator), Progress);
        file._readThreads = Math.Max(0, options.ReadThreads);
        file.EstimatedRows = totalLength > 0 ? totalLength * Math.Max(1, head.Count((byte)'\n')) / prefixLength : 0;
        return file;
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
    /// The rows as the analysis reads them: in batches, each valid until the next is asked for, and without
    /// <see cref="TransactionRow.Product"/>, which no figure uses. Single pass, like <see cref="ReadRows"/>.
    /// </summary>
    internal IEnumerable<ReadOnlyMemory<TransactionRow>> ReadBatchesForAnalysis(CancellationToken cancellationToken)
    {
        if (_read)
        {
            throw new InvalidOperationException("ReadRows reads the stream once; open the file again to read it again.");
        }

        _read = true;
        return Batches(products: false, cancellationToken);
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
}
