namespace ClvPortal.Core.Ingest;

/// <summary>Opening an Excel workbook: its sheets are found and detected by <see cref="XlsxWorkbook"/>, then mapped like CSV columns.</summary>
public sealed partial class TransactionFile
{
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
}
