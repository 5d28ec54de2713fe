using System.Globalization;
using System.Text;
using ClvPortal.Core.Ingest;
using static ClvPortal.Tests.Core.Ingest.IngestTestFiles;

namespace ClvPortal.Tests.Core.Ingest;

/// <summary>
/// Delimited text is mapped on every core, in pieces of a few hundred kilobytes that CsvHelper hands to its workers.
/// These files are many pieces long and put the awkward records everywhere, pieces' edges included: the rows, their
/// lines and the problems reported must be exactly those of reading the same file on one thread.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TransactionFileParallelTests
{
    private const int Records = 40_000;

    [Fact]
    public void ReadRows_AwkwardRecordsAcrossManyPieces_SameRowsAndLinesAsOneThread()
    {
        var (bytes, expectedRows, lastLine) = AwkwardFile(seed: 7, lineEnd: "\n");
        Assert.True(bytes.Length > 2_000_000, "The file must span many of the parallel reader's pieces.");

        var parallel = ReadRows(bytes, inParallel: true);
        var sequential = ReadRows(bytes, inParallel: false);

        // Independent of either reader: the generator counted the data rows and knows the last one's line.
        Assert.Equal(expectedRows, parallel.Count);
        Assert.Equal(lastLine, parallel[^1].Line);
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void ReadRows_WindowsLineEndsAndQuotedLineBreaks_SameRowsAndLinesAsOneThread()
    {
        var (bytes, expectedRows, lastLine) = AwkwardFile(seed: 11, lineEnd: "\r\n");

        var parallel = ReadRows(bytes, inParallel: true);

        Assert.Equal(expectedRows, parallel.Count);
        Assert.Equal(lastLine, parallel[^1].Line);
        Assert.Equal(ReadRows(bytes, inParallel: false), parallel);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("windows-1252")]
    public void ReadRows_OtherEncodingAcrossManyPieces_SameRowsAndLinesAsOneThread(string encodingName)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var (bytes, expectedRows, lastLine) = AwkwardFile(seed: 13, lineEnd: "\r\n", Encoding.GetEncoding(encodingName));

        var parallel = ReadRows(bytes, inParallel: true);

        Assert.Equal(expectedRows, parallel.Count);
        Assert.Equal(lastLine, parallel[^1].Line);
        Assert.Contains(parallel, row => row.Country == "France" && row.Line > 30_000);
        Assert.Equal(ReadRows(bytes, inParallel: false), parallel);
    }

    [Fact]
    public void ReadRows_QuoteNeverClosedDeepInTheFile_ReportsItsLineAsOneThreadDoes()
    {
        var text = PlainRecords();

        // Line 1 is the header, so the record after the loop starts on line Records + 2.
        text.Append("C1,2024-04-01,\"12.50\nC2,2024-04-02,3\n");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());

        var parallel = ProblemOf(() => ReadRows(bytes, inParallel: true));
        var sequential = ProblemOf(() => ReadRows(bytes, inParallel: false));

        Assert.Equal(IngestProblems.UnclosedQuote(Records + 2).Message, parallel.Message);
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void ReadRows_OverlongLineDeepInTheFile_ReportsItsLineAsOneThreadDoes()
    {
        var text = PlainRecords();

        // Past twice the record limit: CsvHelper reads a longer record only while it still fits its buffer.
        text.Append("C1,2024-04-01,").Append('9', 5 * CsvRecords.MaxRecordBytes).Append('\n');
        var bytes = Encoding.UTF8.GetBytes(text.ToString());

        var parallel = ProblemOf(() => ReadRows(bytes, inParallel: true));

        Assert.Equal(IngestProblems.LineTooLong(Records + 2, CsvRecords.MaxRecordBytes).Message, parallel.Message);
        Assert.Equal(ProblemOf(() => ReadRows(bytes, inParallel: false)), parallel);
    }

    [Fact]
    public void ReadRows_CdnowTextFormatAcrossManyPieces_SameRowsAsOneThread()
    {
        var text = new StringBuilder();
        for (var i = 0; i < Records * 2; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{1 + (i % 2357):00000} 1997{1 + (i % 12):00}{1 + (i % 28):00}   {1 + (i % 5)}   {(i % 300) + 0.99:0.00}\n");
        }

        var bytes = Encoding.ASCII.GetBytes(text.ToString());

        var parallel = ReadRows(bytes, inParallel: true, fileName: "CDNOW_master.txt");

        Assert.Equal(Records * 2, parallel.Count);
        Assert.Equal(ReadRows(bytes, inParallel: false, fileName: "CDNOW_master.txt"), parallel);
    }

    /// <summary>A header and <see cref="Records"/> plain rows, lines 2 to Records + 1.</summary>
    private static StringBuilder PlainRecords()
    {
        var text = new StringBuilder("customer,date,amount\n");
        for (var i = 0; i < Records; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"C{i % 900},2024-03-{1 + (i % 28):00},{i % 97}.25\n");
        }

        return text;
    }

    private static List<TransactionRow> ReadRows(byte[] bytes, bool inParallel, string fileName = "orders.csv")
    {
        // Two workers even on one core, so the pieces are really shared; one thread is the single-threaded read.
        using var file = Open(bytes, fileName, new IngestOptions { ReadThreads = inParallel ? 2 : 1 });
        return file.ReadRows().ToList();
    }

    /// <summary>
    /// An Online-Retail-like export with, at random places: quoted values with separators, doubled quotes and line
    /// breaks; blank lines and rows of empty cells (skipped); rows with a field missing or one too many; padded
    /// ids; accented letters, and in UTF-8 (the default) invalid bytes; unreadable dates and amounts; exact duplicates.
    /// </summary>
    private static (byte[] Bytes, int DataRows, long LastLine) AwkwardFile(int seed, string lineEnd, Encoding? encoding = null)
    {
        var random = new Random(seed);
        var output = new MemoryStream();
        output.Write(encoding?.GetPreamble() ?? []);
        void Write(string text) => output.Write((encoding ?? Encoding.UTF8).GetBytes(text));
        Write("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country" + lineEnd);
        long line = 1;
        long lastDataLine = 0;
        var dataRows = 0;
        string? previous = null;
        for (var i = 0; i < Records; i++)
        {
            line++;
            var kind = random.Next(40);
            if (kind == 0)
            {
                Write(lineEnd);
                continue;
            }

            if (kind == 1)
            {
                Write(",,, ,,,," + lineEnd);
                continue;
            }

            if (kind == 2 && previous is not null)
            {
                Write(previous);
                dataRows++;
                lastDataLine = line;
                continue;
            }

            var invoice = (536_000 + (i / 7)).ToString(CultureInfo.InvariantCulture);
            var description = kind switch
            {
                3 => "\"BAG, \"\"JUMBO\"\" RED\"",
                4 => $"\"TWO{lineEnd}LINES\"",
                5 => "CAFÉ CRÈME",
                _ => "WHITE HEART T-LIGHT",
            };
            var quantity = kind == 6 ? "n/a" : (random.Next(1, 24) * (kind == 7 ? -1 : 1)).ToString(CultureInfo.InvariantCulture);
            var date = kind == 8 ? "someday" : $"{1 + (i / 3000 % 12)}/{1 + (i % 28)}/2011 {8 + (i % 9)}:{i % 60:00}";
            var customer = kind switch
            {
                9 => "",
                10 => $"  {12_000 + (i % 4_000)} ",
                _ => (12_000 + (i % 4_000)).ToString(CultureInfo.InvariantCulture),
            };
            var fields = new List<string> { invoice, $"S{i % 500}", description, quantity, date, $"{random.Next(1, 2000) / 100.0:0.00}", customer, i % 11 == 0 ? "France" : "United Kingdom" };
            if (kind == 11)
            {
                fields.RemoveAt(fields.Count - 1);
            }
            else if (kind == 12)
            {
                fields.Add("extra");
            }

            var record = string.Join(',', fields) + lineEnd;
            Write(record);
            if (kind == 13 && encoding is null)
            {
                // A byte that is no UTF-8 at all, inside a value: read as U+FFFD.
                output.Position -= lineEnd.Length;
                output.Write([(byte)'x', 0xFF, (byte)'x']);
                output.Write(Encoding.UTF8.GetBytes(lineEnd));
            }

            dataRows++;
            lastDataLine = line;
            previous = kind is 4 or 13 ? null : record;
            if (kind == 4)
            {
                line++;
            }
        }

        return (output.ToArray(), dataRows, lastDataLine);
    }
}
