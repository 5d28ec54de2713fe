using System.Text;
using ClvPortal.Core.Ingest;
using static ClvPortal.Tests.Core.Ingest.IngestTestFiles;

namespace ClvPortal.Tests.Core.Ingest;

[Trait("Category", "Unit")]
public sealed class TransactionFileCsvTests
{
    [Fact]
    public void ReadRows_AmountColumnWithIsoDates_ReadsEveryRow()
    {
        const string csv = "customer_id,order_date,amount\nC1,2025-01-05,12.50\nC2,2025-02-10T14:30:00,7\n";

        var rows = ReadAll(csv);

        Assert.Equal(2, rows.Count);
        Assert.Equal(("C1", new DateTime(2025, 1, 5), 12.5), (rows[0].CustomerId, rows[0].Date, rows[0].Amount));
        Assert.Equal(new DateTime(2025, 2, 10, 14, 30, 0), rows[1].Date);
        Assert.Equal([2L, 3L], rows.Select(r => r.Line));
        Assert.All(rows, r => Assert.Equal(RowFlaws.None, r.Flaws));
    }

    [Fact]
    public void ReadRows_QuantityTimesPriceWithCompactDates_MultipliesToAmount()
    {
        const string csv = "Customer,Date,Qty,Unit Price\n42,20250301,3,2.50\n";

        using var file = OpenText(csv);
        var row = Assert.Single(file.ReadRows());

        Assert.Equal(7.5, row.Amount);
        Assert.Equal(3, row.Quantity);
        Assert.Equal(new DateTime(2025, 3, 1), row.Date);
        Assert.Equal("Qty", file.Description.Mapping.Quantity);
        Assert.Null(file.Description.Mapping.Amount);
    }

    [Fact]
    public void Open_UciOnlineRetailLayout_MapsEveryColumnAndReadsMonthFirst()
    {
        // Column layout of the UCI "Online Retail" data set (Chen, Sain & Guo 2012).
        const string csv =
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" +
            "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom\n" +
            "C536379,D,Discount,-1,12/13/2010 9:41,27.5,14527,United Kingdom\n";

        using var file = OpenText(csv);
        var rows = file.ReadRows().ToList();

        Assert.Equal(new ColumnMapping
        {
            CustomerId = "CustomerID", Date = "InvoiceDate", Quantity = "Quantity", UnitPrice = "UnitPrice",
            InvoiceId = "InvoiceNo", Country = "Country", Product = "StockCode",
        }, file.Description.Mapping);
        Assert.Equal(DateOrder.MonthFirst, file.Description.DateOrder);
        Assert.Contains("12/13/2010 9:41", file.Description.DateOrderReason, StringComparison.Ordinal);
        Assert.Equal(new DateTime(2010, 12, 1, 8, 26, 0), rows[0].Date);
        Assert.Equal(6 * 2.55, rows[0].Amount!.Value, 9);
        Assert.Equal(("C536379", "United Kingdom", "D", -27.5), (rows[1].InvoiceId, rows[1].Country, rows[1].Product, rows[1].Amount));
    }

    [Fact]
    public void Open_UciOnlineRetailIILayout_MapsCustomerIdWithSpaceAndPrice()
    {
        // Column layout of the UCI "Online Retail II" data set (Chen 2019).
        const string csv =
            "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n" +
            "489434,85048,15CM CHRISTMAS GLASS BALL 20 LIGHTS,12,2009-12-01 07:45:00,6.95,13085.0,United Kingdom\n";

        using var file = OpenText(csv);
        var row = Assert.Single(file.ReadRows());

        Assert.Equal(("Customer ID", "Price", "Invoice"), (file.Description.Mapping.CustomerId, file.Description.Mapping.UnitPrice, file.Description.Mapping.InvoiceId));
        Assert.Equal(new DateTime(2009, 12, 1, 7, 45, 0), row.Date);
        Assert.Equal(12 * 6.95, row.Amount!.Value, 9);
        Assert.Equal("13085.0", row.CustomerId);
    }

    [Fact]
    public void Open_ShopOrderExport_MapsNameEmailCreatedAtAndTotal()
    {
        const string csv =
            "Name,Email,Financial Status,Paid at,Currency,Subtotal,Shipping,Taxes,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Billing Country\n" +
            "#1001,ann@example.com,paid,2025-03-02 10:15:00 +0100,EUR,40.00,5.00,9.00,54.00,2025-03-02 10:14:31 +0100,2,Mug,20.00,DE\n";

        using var file = OpenText(csv);
        var row = Assert.Single(file.ReadRows());

        var mapping = file.Description.Mapping;
        Assert.Equal(("Name", "Email", "Created at", "Total"), (mapping.InvoiceId, mapping.CustomerId, mapping.Date, mapping.Amount));
        Assert.Equal(("#1001", "ann@example.com", 54.0), (row.InvoiceId, row.CustomerId, row.Amount));
        Assert.Equal(new DateTime(2025, 3, 2, 10, 14, 31), row.Date);
        Assert.Equal("DE", row.Country);
    }

    [Fact]
    public void Open_SemicolonsWithDecimalCommaAndDottedDates_ReadsEuropeanExport()
    {
        const string csv = "Kunde;Datum;Betrag\nK1;24.07.2025;12,50\nK2;03.08.2025;1.234,75\n";
        var options = new IngestOptions { Overrides = new ColumnMapping { CustomerId = "Kunde", Amount = "Betrag" } };

        using var file = OpenText(csv, options: options);
        var rows = file.ReadRows().ToList();

        Assert.Equal((";", true), (file.Description.Delimiter, file.Description.DecimalComma));
        Assert.Equal(DateOrder.DayFirst, file.Description.DateOrder);
        Assert.Equal([12.5, 1234.75], rows.Select(r => r.Amount!.Value));
        Assert.Equal(new DateTime(2025, 8, 3), rows[1].Date);
    }

    [Theory]
    [InlineData('\t', "tab")]
    [InlineData('|', "|")]
    [InlineData(';', ";")]
    public void Open_OtherDelimiters_DetectsDelimiter(char delimiter, string described)
    {
        var csv = string.Join('\n', "customer,date,amount", "a,2025-01-01,1.5", "b,2025-01-02,2.5").Replace(',', delimiter);

        using var file = OpenText(csv);
        var rows = file.ReadRows().ToList();

        Assert.Equal(described, file.Description.Delimiter);
        Assert.Equal([1.5, 2.5], rows.Select(r => r.Amount!.Value));
    }

    public static TheoryData<string, string> Encodings => new()
    {
        { "utf-8 BOM", "utf-8 (BOM)" },
        { "utf-16le BOM", "utf-16le" },
        { "utf-16le without BOM", "utf-16le (no byte-order mark)" },
        { "utf-16be without BOM", "utf-16be (no byte-order mark)" },
        { "windows-1252", "windows-1252" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Open_NonAsciiCustomerInEncoding_DecodesCustomerName(string encodingName, string described)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var encoding = encodingName switch
        {
            "utf-8 BOM" => new UTF8Encoding(true),
            "utf-16le BOM" => Encoding.Unicode,
            "utf-16le without BOM" => new UnicodeEncoding(bigEndian: false, byteOrderMark: false),
            "utf-16be without BOM" => new UnicodeEncoding(bigEndian: true, byteOrderMark: false),
            _ => Encoding.GetEncoding(1252),
        };
        const string csv = "customer,date,amount\nMüller & Söhne,2025-01-01,9.99\n";

        using var file = OpenText(csv, encoding: encoding);
        var row = Assert.Single(file.ReadRows());

        Assert.Equal("Müller & Söhne", row.CustomerId);
        Assert.Equal(described, file.Description.Encoding);
    }

    [Fact]
    public void Open_Utf8WithAStrayNonUtf8Byte_StillReadsTheNamesAsUtf8()
    {
        // One Windows-1252 "é" (0xE9) in a note must not turn every UTF-8 name into "MÃ¼ller".
        var bytes = Encoding.UTF8.GetBytes("customer,date,amount,note\nMüller & Söhne,2025-01-01,9.99,ok\nZoë,2025-01-02,5,caf\u0001\nŁucja,2025-01-03,7,ok\n")
            .Select(b => b == 1 ? (byte)0xE9 : b).ToArray();

        using var file = Open(bytes, "orders.csv");
        var rows = file.ReadRows().ToList();

        Assert.Equal(["Müller & Söhne", "Zoë", "Łucja"], rows.Select(r => r.CustomerId));
        Assert.StartsWith("utf-8", file.Description.Encoding, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRows_CarriageReturnLineEndings_ReadsEveryLine()
    {
        var rows = ReadAll("customer,date,amount\ra,2025-01-01,1\rb,2025-01-02,2\r");

        Assert.Equal([("a", 2L), ("b", 3L)], rows.Select(r => (r.CustomerId!, r.Line)));
        Assert.All(rows, r => Assert.Equal(RowFlaws.None, r.Flaws));
    }

    [Fact]
    public void ReadRows_RowsOfEmptyCells_AreSkippedLikeBlankLines()
    {
        var rows = ReadAll("customer,date,amount\na,2025-01-01,1\n,,\n , ,\r\n\"\",,\nb,2025-01-02,2\n");

        Assert.Equal([("a", 2L), ("b", 6L)], rows.Select(r => (r.CustomerId!, r.Line)));
    }

    [Fact]
    public void ReadRows_StrayQuotesInsideValues_KeptAsTextLikeSpreadsheetsDo()
    {
        var rows = ReadAll("customer,date,amount\nO\"Brien,2025-01-01,1\n\"ab\"c,2025-01-02,2\nd,2025-01-03,3\n");

        Assert.Equal(["O\"Brien", "abc", "d"], rows.Select(r => r.CustomerId));
        Assert.Equal([2L, 3L, 4L], rows.Select(r => r.Line));
    }

    [Fact]
    public void ReadRows_SameRowQuotedAndPlain_ShareFingerprint()
    {
        var rows = ReadAll("customer,date,amount\na,2025-01-01,1\n\"a\",\"2025-01-01\",1\n\"a,\",2025-01-01,1\n");

        Assert.Equal(rows[0].Fingerprint, rows[1].Fingerprint);
        Assert.NotEqual(rows[0].Fingerprint, rows[2].Fingerprint);
    }

    [Fact]
    public void Open_SemicolonsInsideQuotedValues_StillDetectsTheComma()
    {
        using var file = OpenText("customer,date,amount,note\n" + string.Concat(Enumerable.Range(1, 40).Select(i => $"c{i},2025-01-{i % 28 + 1:00},{i},\"a; b; c; d\"\n")));

        Assert.Equal(",", file.Description.Delimiter);
        Assert.Equal(40, file.ReadRows().Count(r => r.Flaws == RowFlaws.None));
    }

    [Fact]
    public void ReadRows_LineJustUnderOneMegabyteAfterTheSample_IsRead()
    {
        // 4.5 MB of rows first, so the long line is read by the full pass, not the detection sample.
        var text = new StringBuilder("customer,date,amount,note\n");
        text.Insert(text.Length, "c,2025-01-01,1,\n", 300_000);
        text.Append("long,2025-01-02,2,").Append('x', 1_000_000).Append("\nlast,2025-01-03,3,\n");
        using var file = OpenText(text.ToString());

        var rows = file.ReadRows().ToList();

        Assert.Equal(300_002, rows.Count);
        Assert.Equal(("long", 300_002L, 2.0), (rows[^2].CustomerId, rows[^2].Line, rows[^2].Amount));
        Assert.Equal(("last", 300_003L), (rows[^1].CustomerId, rows[^1].Line));
    }

    [Fact]
    public void ReadRows_AccountingNegativesInParentheses_ReadAsNegative()
    {
        var rows = ReadAll("customer,date,amount\na,2025-01-01,(5.00)\nb,2025-01-02,\"($1,234.56)\"\nc,2025-01-03,(-5)\nd,2025-01-04,12.5\n");

        Assert.Equal([-5, -1234.56, null, 12.5], rows.Select(r => r.Amount));
        Assert.Equal(RowFlaws.UnparseableAmount, rows[2].Flaws);
    }

    [Fact]
    public void ReadRows_AbsurdAmountsAndIds_FlaggedNotKept()
    {
        var rows = ReadAll($"customer,date,qty,price\na,2025-01-01,1,1e308\nb,2025-01-01,1e9,1e7\n{new string('x', 300)},2025-01-01,1,2\nc,2025-01-01,2,3\n");

        Assert.Equal([RowFlaws.ImplausibleAmount, RowFlaws.ImplausibleAmount, RowFlaws.CustomerIdTooLong, RowFlaws.None], rows.Select(r => r.Flaws));
        Assert.Equal([null, null, 6.0], new[] { rows[0].Amount, rows[1].Amount, rows[3].Amount });
        Assert.Null(rows[2].CustomerId);
    }

    [Fact]
    public void ReadRows_QuotedFieldsWithDelimitersAndNewlines_KeepsFieldsAndLineNumbers()
    {
        const string csv = "customer,date,amount,product\n\"Smith, John\",2025-01-01,5,\"Mug\nwith \"\"logo\"\"\"\nDoe,2025-01-02,6,Cup\n";

        var rows = ReadAll(csv);

        Assert.Equal(("Smith, John", "Mug\nwith \"logo\"", RowFlaws.None), (rows[0].CustomerId, rows[0].Product, rows[0].Flaws));
        Assert.Equal(("Doe", 4L), (rows[1].CustomerId, rows[1].Line));
    }

    [Fact]
    public void Open_DayAboveTwelveInFirstPart_ChoosesDayFirstAndSaysWhere()
    {
        const string csv = "customer,date,amount\na,03/04/2025,1\nb,24/07/2025 10:17,2\n";

        using var file = OpenText(csv);
        var rows = file.ReadRows().ToList();

        Assert.Equal(DateOrder.DayFirst, file.Description.DateOrder);
        Assert.Contains("line 3", file.Description.DateOrderReason, StringComparison.Ordinal);
        Assert.Equal(new DateTime(2025, 4, 3), rows[0].Date);
        Assert.Equal(new DateTime(2025, 7, 24, 10, 17, 0), rows[1].Date);
    }

    [Fact]
    public void Open_AmbiguousDates_AssumesMonthFirstAndNamesTheSetting()
    {
        const string csv = "customer,date,amount\na,03/04/2025,1\nb,05-06-2025,2\n";

        using var file = OpenText(csv);
        var rows = file.ReadRows().ToList();

        Assert.Equal(DateOrder.MonthFirst, file.Description.DateOrder);
        Assert.Contains("cannot be told apart", file.Description.DateOrderReason, StringComparison.Ordinal);
        Assert.Contains("date order", file.Description.DateOrderReason, StringComparison.Ordinal);
        Assert.Equal(new DateTime(2025, 3, 4), rows[0].Date);
    }

    [Fact]
    public void Open_DateOrderSetting_OverridesDetection()
    {
        const string csv = "customer,date,amount\na,03/04/2025,1\n";

        using var file = OpenText(csv, options: new IngestOptions { DateOrder = DateOrder.DayFirst });

        Assert.Equal(new DateTime(2025, 4, 3), Assert.Single(file.ReadRows()).Date);
        Assert.Equal(DateOrder.DayFirst, file.Description.DateOrder);
    }

    [Fact]
    public void ReadRows_DateOrderDecidedLate_UsesEvidenceFromDeepInTheSample()
    {
        // A date-sorted export can run for thousands of rows before the 13th of a month appears.
        var csv = new StringBuilder("customer,date,amount\n");
        for (var i = 0; i < 5000; i++)
        {
            csv.Append("c").Append(i % 7).Append(",01/02/2025 09:00,1\n");
        }

        csv.Append("x,13/02/2025 09:00,1\n");

        var rows = ReadAll(csv.ToString());

        Assert.Equal(new DateTime(2025, 2, 1, 9, 0, 0), rows[0].Date);
    }

    [Fact]
    public void ReadRows_DatesThatDoNotFitTheOrder_FlagsUnparseableNotDropped()
    {
        const string csv = "customer,date,amount\na,24/07/2025,1\nb,07/24/2025,2\nc,,3\nd,soon,4\n";

        var rows = ReadAll(csv);

        Assert.Equal(4, rows.Count);
        Assert.Equal(
            [RowFlaws.None, RowFlaws.UnparseableDate, RowFlaws.MissingDate, RowFlaws.UnparseableDate],
            rows.Select(r => r.Flaws));
        Assert.Null(rows[1].Date);
    }

    [Fact]
    public void ReadRows_MissingAndBadValues_AreNullAndFlagged()
    {
        const string csv = "customer,date,amount\n,2025-01-01,1\nb,2025-01-01,\nc,2025-01-01,ten\n";

        var rows = ReadAll(csv);

        Assert.Equal([RowFlaws.MissingCustomerId, RowFlaws.MissingAmount, RowFlaws.UnparseableAmount], rows.Select(r => r.Flaws));
        Assert.Null(rows[0].CustomerId);
        Assert.Null(rows[2].Amount);
    }

    [Fact]
    public void ReadRows_RaggedLines_FlagsTooManyAndTooFewFields()
    {
        const string csv = "customer,date,amount\na,2025-01-01,1,extra,more\nb,2025-01-02\nc,2025-01-03,3\n";

        var rows = ReadAll(csv);

        Assert.Equal(3, rows.Count);
        Assert.Equal(RowFlaws.TooManyFields, rows[0].Flaws);
        Assert.Equal(RowFlaws.TooFewFields | RowFlaws.MissingAmount, rows[1].Flaws);
        Assert.Equal(1.0, rows[0].Amount);
        Assert.Equal(RowFlaws.None, rows[2].Flaws);
    }

    [Fact]
    public void ReadRows_LongRowsDifferingInOneCharacter_EachHasItsOwnFingerprint()
    {
        // Past 32 bytes a record is hashed 32 bytes at a time: a change anywhere, in any lane, must show.
        const string row = "customer-with-a-long-id-0001,2025-01-01 10:17:00,123.45,note long enough for two more lanes";
        var variants = Enumerable.Range(0, row.Length)
            .Where(i => char.IsAsciiLetterOrDigit(row[i]))
            .Select(i => string.Concat(row.AsSpan(0, i), row[i] == 'x' ? "y" : "x", row.AsSpan(i + 1)))
            .ToList();

        var rows = ReadAll("customer,date,amount,note\n" + row + "\n" + string.Concat(variants.Select(v => v + "\n")) + row + "\n");

        Assert.Equal(variants.Count + 2, rows.Count);
        Assert.Equal(rows[0].Fingerprint, rows[^1].Fingerprint);
        Assert.Equal(variants.Count + 1, rows.Select(r => r.Fingerprint).Distinct().Count());
    }

    [Fact]
    public void ReadRows_IdenticalRows_ShareFingerprintOthersDiffer()
    {
        const string csv = "customer,date,amount\na,2025-01-01,1\na,2025-01-01,1\na,2025-01-01,2\n\"ab\",2025-01-01,1\n";

        var rows = ReadAll(csv);

        Assert.Equal(rows[0].Fingerprint, rows[1].Fingerprint);
        Assert.NotEqual(rows[0].Fingerprint, rows[2].Fingerprint);
        Assert.Equal(4, rows.Count);
    }

    [Fact]
    public void Open_OverrideNamesMissingColumn_ListsTheColumns()
    {
        var options = new IngestOptions { Overrides = new ColumnMapping { Amount = "Revenue" } };

        var problem = ProblemOf(() => OpenText("customer,date,total\na,2025-01-01,1\n", options: options));

        Assert.Contains("\"Revenue\"", problem.Message, StringComparison.Ordinal);
        Assert.Contains("\"customer\", \"date\", \"total\"", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_Overrides_WinOverDetectedColumns()
    {
        const string csv = "customer,email,date,amount,net\na,a@x.com,2025-01-01,10,8\n";
        var options = new IngestOptions { Overrides = new ColumnMapping { CustomerId = "EMAIL", Amount = "net" } };

        using var file = OpenText(csv, options: options);
        var row = Assert.Single(file.ReadRows());

        Assert.Equal(("a@x.com", 8.0), (row.CustomerId, row.Amount));
        Assert.Equal("email", file.Description.Mapping.CustomerId);
    }

    [Fact]
    public void Open_HeaderlessFile_NamesColumnsByPositionForOverrides()
    {
        const string csv = "a17,2025-01-05,12.50\nb22,2025-01-06,3\n";
        var options = new IngestOptions { Overrides = new ColumnMapping { CustomerId = "Column 1", Amount = "column 3" } };

        using var file = OpenText(csv, options: options);
        var rows = file.ReadRows().ToList();

        Assert.Equal(["Column 1", "Column 2", "Column 3"], file.Description.Columns);
        Assert.Equal("Column 2", file.Description.Mapping.Date);
        Assert.Equal(["a17", "b22"], rows.Select(r => r.CustomerId));
        Assert.Equal(1L, rows[0].Line);
    }

    [Fact]
    public void ReadRows_NonSeekableStream_ReadsAllRowsOnce()
    {
        var bytes = Encoding.UTF8.GetBytes("customer,date,amount\na,2025-01-01,1\nb,2025-01-02,2\n");

        using var file = TransactionFile.Open(new NonSeekableStream(bytes), "orders.csv", new IngestOptions());

        Assert.Equal(["a", "b"], file.ReadRows().Select(r => r.CustomerId));
    }

    [Fact]
    public void ReadRows_HeaderlessFileWithBom_ReadsFirstRowWithoutTheBom()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("00001 19970101 1 11.77\n00002 19970112 2 12.00\n")).ToArray();

        using var file = Open(bytes, "cdnow.txt");
        var rows = file.ReadRows().ToList();

        Assert.Equal(["00001", "00002"], rows.Select(r => r.CustomerId));
        Assert.Equal(new DateTime(1997, 1, 12), rows[1].Date);
    }

    [Fact]
    public void ReadRows_CallerStopsEarly_ReturnsWithoutReadingTheRest()
    {
        var csv = new StringBuilder("customer,date,amount\n");
        for (var i = 0; i < 100_000; i++)
        {
            csv.Append('c').Append(i).Append(",2025-01-01,1\n");
        }

        using var file = OpenText(csv.ToString());
        var first = file.ReadRows().Take(3).ToList();

        Assert.Equal(["c0", "c1", "c2"], first.Select(r => r.CustomerId));
        Assert.True(file.Progress < 1, "reading stopped early, so not all of the input was consumed");
    }

    [Fact]
    public void ReadRows_Cancelled_StopsWithCancellation()
    {
        var csv = new StringBuilder("customer,date,amount\n");
        for (var i = 0; i < 100_000; i++)
        {
            csv.Append("c,2025-01-01,1\n");
        }

        using var file = OpenText(csv.ToString());
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => file.ReadRows(cancel.Token).Count());
    }

    [Fact]
    public void Progress_AfterReadingSeekableStream_ReachesOne()
    {
        using var file = OpenText("customer,date,amount\na,2025-01-01,1\n");

        Assert.Equal(0, file.Progress);
        _ = file.ReadRows().ToList();

        Assert.Equal(1, file.Progress);
    }

    [CdnowFact]
    public void ReadRows_CdnowMasterFile_ReadsAllPurchasesOfAllCustomers()
    {
        // Fader, Hardie & Lee (2005) CDNOW master data set: 23,570 customers, 69,659 purchase records.
        using var stream = File.OpenRead(TestData.CdnowPath);
        using var file = TransactionFile.Open(stream, "CDNOW_master.txt", new IngestOptions());
        var rows = file.ReadRows().ToList();

        Assert.Equal("cdnow", file.Description.Format);
        Assert.Equal(69_659, rows.Count);
        Assert.Equal(23_570, rows.Select(r => r.CustomerId).Distinct().Count());
        Assert.All(rows, r => Assert.Equal(RowFlaws.None, r.Flaws));
        Assert.Equal(("00001", new DateTime(1997, 1, 1), 1.0, 11.77), (rows[0].CustomerId, rows[0].Date, rows[0].Quantity, rows[0].Amount));
    }

    internal sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
