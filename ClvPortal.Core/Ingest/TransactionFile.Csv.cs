namespace ClvPortal.Core.Ingest;

/// <summary>
/// Opening delimited text and the CDNOW text format: the separator, header, columns, decimal comma and date order
/// come from the detection sample, which CsvHelper reads as it will read the whole file.
/// </summary>
public sealed partial class TransactionFile
{
    private static TransactionFile OpenCdnow(string[]? header, int fields, string encodingName, Func<RecordReader> openRecords, Func<double> progress)
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
            openRecords,
            () => new RowMapper(indexes, columns.Length, decimalComma: false, dates, date1904: false),
            skipFirstRecord: header is not null,
            progress,
            owned: null);
    }

    private static TransactionFile OpenCsv(string fileName, IngestOptions options, string sampleText, bool exhausted, string encodingName, Func<char, RecordReader> openRecords, Func<double> progress)
    {
        var (delimiter, records) = ReadSample(sampleText);
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
            () => openRecords(delimiter),
            () => new RowMapper(indexes, columns.Count, decimalComma, dates, date1904: false, store: storeColumns),
            skipFirstRecord: hasHeader,
            progress,
            owned: null)
        {
            _sample = data,
        };
    }

    /// <summary>
    /// The first records of the sample, for column detection, with the separator CsvHelper chose among , ; tab and |
    /// by how consistently each splits the first lines. Rows of empty cells are skipped, as in the full pass.
    /// </summary>
    private static (char Separator, List<SampleRecord> Records) ReadSample(string sample)
    {
        using var reader = CsvRecords.FromSample(sample, separator: null);
        var records = new List<SampleRecord>();
        while (records.Count < SampleRecords && reader.Read())
        {
            records.Add(new SampleRecord(reader.Line, reader.FieldsAsStrings()));
        }

        return (reader.Separator, records);
    }

    /// <summary>
    /// The date column over the whole sample (tens of thousands of rows, not just the 2,000 used for
    /// mapping): exports sorted by date can go for a week before a day above 12 settles the order.
    /// Consecutive repeats are skipped; they add no evidence.
    /// </summary>
    private static List<SampleRecord> DateSample(string sample, char delimiter, int dateColumn, bool hasHeader)
    {
        using var reader = CsvRecords.FromSample(sample, delimiter);
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
