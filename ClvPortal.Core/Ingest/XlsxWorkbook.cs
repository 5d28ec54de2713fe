using System.Globalization;
using System.IO.Compression;
using System.Xml;

namespace ClvPortal.Core.Ingest;

/// <summary>What detection found in a workbook: the sheets read as one table, their header and a sample of rows.</summary>
internal sealed record XlsxLayout(IReadOnlyList<string> Sheets, IReadOnlyList<string> Columns, List<SampleRecord> Sample, bool HasHeader);

/// <summary>
/// An .xlsx read with ZipArchive and forward-only XmlReaders, so a 1M-row sheet streams row by row
/// instead of being loaded as a DOM. Only the shared strings table and the styles' date formats are
/// held in memory. Every part is opened through a size bound (and a compression-ratio check) so a zip
/// bomb stops with a message; XML is read with DTDs prohibited, so no entity expansion, and a part
/// that declares one is refused with a message naming the attack rather than as "damaged".
/// </summary>
internal sealed class XlsxWorkbook : IDisposable
{
    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>Real sheets compress 5-20x; deflate tops out near 1000x. Above 100x on a large part, it is a bomb.</summary>
    private const long MaxCompressionRatio = 100;
    private const long RatioCheckFloor = 16L << 20;

    /// <summary>Bytes of a part searched for a DOCTYPE, which can only come before the first element.</summary>
    private const int DoctypeProbe = 4096;

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        CloseInput = true,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    private readonly ZipArchive _zip;
    private readonly string _fileName;
    private readonly IngestOptions _options;
    private readonly List<(string Name, string Path)> _sheets = [];
    private string[] _sharedStrings = [];
    private bool[] _dateStyles = [];
    private long _sheetBytesTotal;
    private long _sheetBytesRead;

    private XlsxWorkbook(ZipArchive zip, string fileName, IngestOptions options)
    {
        _zip = zip;
        _fileName = fileName;
        _options = options;
    }

    public bool Date1904 { get; private set; }

    /// <summary>The names of all worksheets, in workbook order.</summary>
    public IReadOnlyList<string> SheetNames => _sheets.Select(s => s.Name).ToList();

    public double Progress => _sheetBytesTotal > 0 ? (double)_sheetBytesRead / _sheetBytesTotal : 0;

    public static XlsxWorkbook Open(Stream seekable, string fileName, IngestOptions options)
    {
        ZipArchive zip;
        try
        {
            // The caller owns the stream it handed us; disposing the workbook must not close it.
            zip = new ZipArchive(seekable, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            throw new InputProblemException(IngestProblems.Damaged(fileName));
        }

        var workbook = new XlsxWorkbook(zip, fileName, options);
        try
        {
            workbook.Guard(workbook.Load);
            return workbook;
        }
        catch
        {
            workbook.Dispose();
            throw;
        }
    }

    public XlsxLayout Detect(int sampleRecords) => Guard(() =>
    {
        var chosen = new List<(string Name, string Path)>();
        string[]? header = null;
        if (_options.Sheet is { } wanted)
        {
            var sheet = _sheets.FirstOrDefault(s => string.Equals(s.Name.Trim(), wanted.Trim(), StringComparison.OrdinalIgnoreCase));
            if (sheet.Path is null)
            {
                throw new InputProblemException(IngestProblems.SheetNotFound(_fileName, wanted, _sheets.Select(s => s.Name).ToList()));
            }

            chosen.Add(sheet);
            header = FirstRow(sheet);
        }
        else
        {
            foreach (var sheet in _sheets)
            {
                var first = FirstRow(sheet);
                if (header is null)
                {
                    if (first is not null)
                    {
                        header = first;
                        chosen.Add(sheet);
                    }
                }
                else if (first is not null && SameHeader(header, first))
                {
                    // The real "Online Retail II" workbook holds one sheet per year under the same header.
                    chosen.Add(sheet);
                }
            }
        }

        if (header is null)
        {
            if (chosen.Count == 0)
            {
                throw new InputProblemException(IngestProblems.NoData(_fileName));
            }

            throw new InputProblemException(IngestProblems.Empty(_fileName));
        }

        var hasHeader = ColumnDetector.LooksLikeHeader(header);
        var columns = hasHeader
            ? header.Select((h, i) => string.IsNullOrWhiteSpace(h) ? $"Column {i + 1}" : h.Trim()).ToList()
            : Enumerable.Range(1, header.Length).Select(i => $"Column {i}").ToList();
        var sample = new List<SampleRecord>();
        using (var reader = OpenReader(chosen.Select(s => s.Name).ToList(), hasHeader))
        {
            while (sample.Count < sampleRecords && reader.Read())
            {
                sample.Add(new SampleRecord(reader.Line, reader.FieldsAsStrings()));
            }
        }

        _sheetBytesRead = 0;
        return new XlsxLayout(chosen.Select(s => s.Name).ToList(), columns, sample, hasHeader);
    });

    public RecordReader OpenReader(IReadOnlyList<string> sheetNames, bool skipHeader = true, bool datesAsText = true)
    {
        var paths = sheetNames.Select(n => _sheets.First(s => s.Name == n)).ToList();
        _sheetBytesTotal = paths.Sum(p => _zip.GetEntry(p.Path)?.Length ?? 0);
        return new XlsxRecordReader(this, paths, skipHeader, datesAsText);
    }

    public void Dispose() => _zip.Dispose();

    /// <summary>Turns the exceptions a damaged or truncated package throws into the user's message.</summary>
    internal T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw DamagedProblem();
        }
    }

    internal static bool IsDamage(Exception e) =>
        e is InvalidDataException or XmlException or EndOfStreamException or IOException or FormatException or IndexOutOfRangeException or OverflowException;

    internal InputProblemException DamagedProblem() => new(IngestProblems.Damaged(_fileName));

    private void Guard(Action action) => Guard(() =>
    {
        action();
        return 0;
    });

    internal XmlReader OpenPart(string path, bool countProgress = false)
    {
        var entry = _zip.GetEntry(path) ?? throw new InputProblemException(IngestProblems.Damaged(_fileName));
        var limit = _options.MaxUncompressedBytes;
        if (entry.Length > limit)
        {
            throw new InputProblemException(IngestProblems.TooLarge(_fileName, path, limit));
        }

        if (entry.Length > RatioCheckFloor && entry.Length > entry.CompressedLength * MaxCompressionRatio)
        {
            throw new InputProblemException(IngestProblems.CompressedTooFar(_fileName, path, entry.Length, entry.CompressedLength));
        }

        var bounded = new BoundedStream(entry.Open(), Math.Min(limit, Math.Max(entry.Length, 0)), () => new InputProblemException(IngestProblems.TooLarge(_fileName, path, limit)),
            countProgress ? read => _sheetBytesRead += read : null);
        var head = new byte[DoctypeProbe];
        int length;
        try
        {
            length = bounded.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch
        {
            bounded.Dispose();
            throw;
        }

        // Excel never writes a DTD; "billion laughs" entity bombs and external entities need one.
        if (head.AsSpan(0, length).IndexOf("<!DOCTYPE"u8) >= 0)
        {
            bounded.Dispose();
            throw new InputProblemException(IngestProblems.XmlDoctype(_fileName, path));
        }

        return XmlReader.Create(new InputStream(head, length, bounded, length < head.Length, ownsRest: true), XmlSettings);
    }

    internal string SharedString(int index) =>
        (uint)index < (uint)_sharedStrings.Length ? _sharedStrings[index] : throw new InputProblemException(IngestProblems.Damaged(_fileName));

    internal bool IsDateStyle(int style) => (uint)style < (uint)_dateStyles.Length && _dateStyles[style];

    private void Load()
    {
        var workbookPath = OfficeDocumentPath();
        if (workbookPath is null || _zip.GetEntry(workbookPath) is null)
        {
            throw new InputProblemException(_zip.Entries.Any(e => e.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) && e.FullName.Contains("worksheets", StringComparison.OrdinalIgnoreCase))
                ? IngestProblems.Damaged(_fileName)
                : IngestProblems.ZipWithoutWorkbook(_fileName));
        }

        var folder = workbookPath.Contains('/', StringComparison.Ordinal) ? workbookPath[..(workbookPath.LastIndexOf('/') + 1)] : "";
        var relationships = ReadRelationships(folder + "_rels/" + workbookPath[folder.Length..] + ".rels", folder);

        var sheetIds = new List<(string Name, string Id)>();
        using (var xml = OpenPart(workbookPath))
        {
            while (xml.Read())
            {
                if (xml.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (xml.LocalName == "workbookPr")
                {
                    var value = xml.GetAttribute("date1904");
                    Date1904 = value is "1" or "true";
                }
                else if (xml.LocalName == "sheet")
                {
                    sheetIds.Add((xml.GetAttribute("name") ?? "", xml.GetAttribute("id", RelationshipsNamespace) ?? ""));
                }
            }
        }

        foreach (var (name, id) in sheetIds)
        {
            if (relationships.TryGetValue(id, out var target) && target.Type.EndsWith("/worksheet", StringComparison.Ordinal) && _zip.GetEntry(target.Path) is not null)
            {
                _sheets.Add((name, target.Path));
            }
        }

        if (_sheets.Count == 0)
        {
            throw new InputProblemException(IngestProblems.NoData(_fileName));
        }

        var sharedStrings = relationships.Values.FirstOrDefault(r => r.Type.EndsWith("/sharedStrings", StringComparison.Ordinal)).Path;
        if (sharedStrings is not null && _zip.GetEntry(sharedStrings) is not null)
        {
            _sharedStrings = ReadSharedStrings(sharedStrings);
        }

        var styles = relationships.Values.FirstOrDefault(r => r.Type.EndsWith("/styles", StringComparison.Ordinal)).Path;
        if (styles is not null && _zip.GetEntry(styles) is not null)
        {
            _dateStyles = ReadDateStyles(styles);
        }
    }

    private string? OfficeDocumentPath()
    {
        if (_zip.GetEntry("_rels/.rels") is null)
        {
            return _zip.GetEntry("xl/workbook.xml") is null ? null : "xl/workbook.xml";
        }

        var root = ReadRelationships("_rels/.rels", "");
        return root.Values.FirstOrDefault(r => r.Type.EndsWith("/officeDocument", StringComparison.Ordinal)).Path;
    }

    private Dictionary<string, (string Type, string Path)> ReadRelationships(string path, string folder)
    {
        var result = new Dictionary<string, (string Type, string Path)>(StringComparer.Ordinal);
        if (_zip.GetEntry(path) is null)
        {
            return result;
        }

        using var xml = OpenPart(path);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "Relationship")
            {
                var target = xml.GetAttribute("Target") ?? "";
                var resolved = target.StartsWith('/') ? target[1..] : Resolve(folder, target);
                result[xml.GetAttribute("Id") ?? ""] = (xml.GetAttribute("Type") ?? "", resolved);
            }
        }

        return result;
    }

    private static string Resolve(string folder, string target)
    {
        var parts = new List<string>(folder.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }

    private string[] ReadSharedStrings(string path)
    {
        var strings = new List<string>();
        using var xml = OpenPart(path);
        var text = new System.Text.StringBuilder();
        bool inText = false, inPhonetic = false;
        while (xml.Read())
        {
            switch (xml.NodeType)
            {
                case XmlNodeType.Element when xml.LocalName == "si":
                    text.Clear();
                    if (xml.IsEmptyElement)
                    {
                        strings.Add("");
                    }

                    break;
                case XmlNodeType.Element when xml.LocalName == "t":
                    inText = !xml.IsEmptyElement;
                    break;
                case XmlNodeType.Element when xml.LocalName == "rPh":
                    // Phonetic guides (furigana) are not part of the cell's text.
                    inPhonetic = !xml.IsEmptyElement;
                    break;
                case XmlNodeType.EndElement when xml.LocalName == "si":
                    strings.Add(text.ToString());
                    break;
                case XmlNodeType.EndElement when xml.LocalName == "t":
                    inText = false;
                    break;
                case XmlNodeType.EndElement when xml.LocalName == "rPh":
                    inPhonetic = false;
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace when inText && !inPhonetic:
                    text.Append(xml.Value);
                    break;
            }
        }

        return [.. strings];
    }

    /// <summary>Which cell styles show a number as a date: built-in formats 14-22, 27-36, 45-47, 50-58, or a custom code with date/time letters.</summary>
    private bool[] ReadDateStyles(string path)
    {
        var customDates = new HashSet<int>();
        var styles = new List<bool>();
        using var xml = OpenPart(path);
        var inCellXfs = false;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "cellXfs")
            {
                inCellXfs = false;
            }

            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            switch (xml.LocalName)
            {
                case "numFmt":
                    if (int.TryParse(xml.GetAttribute("numFmtId"), CultureInfo.InvariantCulture, out var id) && IsDateFormat(xml.GetAttribute("formatCode") ?? ""))
                    {
                        customDates.Add(id);
                    }

                    break;
                case "cellXfs":
                    inCellXfs = !xml.IsEmptyElement;
                    break;
                case "xf" when inCellXfs:
                    var format = int.TryParse(xml.GetAttribute("numFmtId"), CultureInfo.InvariantCulture, out var f) ? f : 0;
                    styles.Add(format is >= 14 and <= 22 or >= 27 and <= 36 or >= 45 and <= 47 or >= 50 and <= 58 || customDates.Contains(format));
                    break;
            }
        }

        return [.. styles];
    }

    private static bool IsDateFormat(string code)
    {
        var inQuotes = false;
        var inBrackets = false;
        foreach (var c in code)
        {
            switch (c)
            {
                case '"':
                    inQuotes = !inQuotes;
                    break;
                case '[' when !inQuotes:
                    inBrackets = true;
                    break;
                case ']' when !inQuotes:
                    inBrackets = false;
                    break;
                default:
                    if (!inQuotes && !inBrackets && char.ToLowerInvariant(c) is 'd' or 'm' or 'y' or 'h' or 's')
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    private string[]? FirstRow((string Name, string Path) sheet)
    {
        using var reader = new XlsxRecordReader(this, [sheet], skipHeader: false);
        while (reader.Read())
        {
            if (reader.IsHeaderCandidate())
            {
                return reader.FieldsAsStrings();
            }
        }

        return null;
    }

    private static bool SameHeader(string[] a, string[] b)
    {
        var left = a.Select(ColumnDetector.Normalize).Reverse().SkipWhile(n => n.Length == 0).Reverse().ToList();
        var right = b.Select(ColumnDetector.Normalize).Reverse().SkipWhile(n => n.Length == 0).Reverse().ToList();
        return left.SequenceEqual(right);
    }
}
