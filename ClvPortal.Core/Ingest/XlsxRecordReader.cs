using System.Globalization;
using System.Xml;

namespace ClvPortal.Core.Ingest;

/// <summary>
/// Rows of one or more worksheets in order, as one table: a forward-only XmlReader per sheet, cells
/// placed by their reference ("C7") so empty cells Excel leaves out keep the columns aligned. Shared
/// and inline strings are resolved; numbers in date-formatted cells become ISO text so the one date
/// parser handles CSV and XLSX alike.
/// </summary>
/// <param name="datesAsText">
/// True for detection, so content checks see dates; false for the full pass, where a date cell's serial
/// number is handed on as is and the row mapper converts it (no text formatting and re-parsing per row).
/// </param>
internal sealed class XlsxRecordReader(XlsxWorkbook workbook, IReadOnlyList<(string Name, string Path)> sheets, bool skipHeader, bool datesAsText = true) : RecordReader
{
    private int _sheetIndex = -1;
    private XmlReader? _xml;
    private bool _headerPending;
    private string[] _fields = new string[16];
    private int _count;
    private long _line;
    private string? _sheet;

    public override int FieldCount => _count;

    public override long Line => _line;

    public override string? Sheet => _sheet;

    public override ReadOnlySpan<char> Field(int index) => _fields[index];

    public override bool Read()
    {
        try
        {
            return ReadRow();
        }
        catch (Exception e) when (XlsxWorkbook.IsDamage(e))
        {
            throw workbook.DamagedProblem();
        }
    }

    private bool ReadRow()
    {
        while (true)
        {
            if (_xml is null)
            {
                if (++_sheetIndex >= sheets.Count)
                {
                    return false;
                }

                _sheet = sheets[_sheetIndex].Name;
                _xml = workbook.OpenPart(sheets[_sheetIndex].Path, countProgress: true);
                _headerPending = skipHeader;
                _line = 0;
            }

            if (!NextRow())
            {
                _xml.Dispose();
                _xml = null;
                continue;
            }

            if (_count == 0)
            {
                continue;
            }

            if (_headerPending)
            {
                // Report titles above the header ("Sales 2024" alone in A1) are skipped with it:
                // the header is the first row with at least two filled cells.
                _headerPending = !IsHeaderCandidate();
                continue;
            }

            return true;
        }
    }

    public bool IsHeaderCandidate()
    {
        var filled = 0;
        for (var i = 0; i < _count && filled < 2; i++)
        {
            if (!string.IsNullOrWhiteSpace(_fields[i]))
            {
                filled++;
            }
        }

        return filled >= 2;
    }

    /// <summary>Reads the next &lt;row&gt; into the fields; false at the end of the sheet.</summary>
    private bool NextRow()
    {
        var xml = _xml!;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "row")
            {
                Array.Clear(_fields, 0, _count);
                _count = 0;
                _line = long.TryParse(xml.GetAttribute("r"), CultureInfo.InvariantCulture, out var number) ? number : _line + 1;
                if (!xml.IsEmptyElement)
                {
                    ReadCells(xml);
                }

                return true;
            }
        }

        return false;
    }

    private void ReadCells(XmlReader xml)
    {
        var nextColumn = 0;
        var column = 0;
        string? type = null;
        var style = 0;
        string? value = null;
        string? inline = null;
        bool inValue = false, inText = false, inPhonetic = false;
        while (xml.Read())
        {
            switch (xml.NodeType)
            {
                case XmlNodeType.Element:
                    switch (xml.LocalName)
                    {
                        case "c":
                            column = ColumnIndex(xml.GetAttribute("r"), nextColumn);
                            nextColumn = column + 1;
                            type = xml.GetAttribute("t");
                            style = int.TryParse(xml.GetAttribute("s"), CultureInfo.InvariantCulture, out var s) ? s : 0;
                            value = null;
                            inline = null;
                            break;
                        case "v":
                            inValue = !xml.IsEmptyElement;
                            break;
                        case "t":
                            inText = !xml.IsEmptyElement;
                            break;
                        case "rPh":
                            inPhonetic = !xml.IsEmptyElement;
                            break;
                    }

                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    if (inValue)
                    {
                        value = value is null ? xml.Value : value + xml.Value;
                    }
                    else if (inText && !inPhonetic)
                    {
                        inline = inline is null ? xml.Value : inline + xml.Value;
                    }

                    break;
                case XmlNodeType.EndElement:
                    switch (xml.LocalName)
                    {
                        case "v":
                            inValue = false;
                            break;
                        case "t":
                            inText = false;
                            break;
                        case "rPh":
                            inPhonetic = false;
                            break;
                        case "c":
                            Store(column, CellText(type, style, value, inline));
                            break;
                        case "row":
                            return;
                    }

                    break;
            }
        }
    }

    private string CellText(string? type, int style, string? value, string? inline) => type switch
    {
        "s" => workbook.SharedString(int.Parse(value ?? "-1", CultureInfo.InvariantCulture)),
        "inlineStr" => inline ?? value ?? "",
        "b" => value == "1" ? "TRUE" : "FALSE",
        "str" or "e" or "d" => value ?? "",
        _ when datesAsText && value is not null && workbook.IsDateStyle(style) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is >= 0 and < 2_958_466 =>
            DateParser.FromSerial(serial, workbook.Date1904).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        _ => value ?? inline ?? "",
    };

    private void Store(int column, string text)
    {
        if (text.Length == 0 || column > 16_383)
        {
            return;
        }

        if (column >= _fields.Length)
        {
            Array.Resize(ref _fields, Math.Max(column + 1, _fields.Length * 2));
        }

        _fields[column] = text;
        _count = Math.Max(_count, column + 1);
    }

    /// <summary>"AB12" -> 27 (0-based); without a reference, the next column.</summary>
    private static int ColumnIndex(string? reference, int next)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return next;
        }

        var index = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            if (c is >= 'A' and <= 'Z')
            {
                index = index * 26 + (c - 'A' + 1);
                letters++;
            }
            else
            {
                break;
            }
        }

        return letters is 0 or > 3 ? next : index - 1;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _xml?.Dispose();
        }
    }
}
