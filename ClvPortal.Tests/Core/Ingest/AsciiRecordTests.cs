using System.Text;
using ClvPortal.Core.Ingest;
using static ClvPortal.Tests.Core.Ingest.IngestTestFiles;

namespace ClvPortal.Tests.Core.Ingest;

/// <summary>
/// A record that is all ASCII is read from its bytes; any other from its characters, the way every record was read
/// before. Each record here is written twice, once with an accent in a column the analysis does not read: the two must
/// give the same row, for every awkward value either reading could get wrong.
/// </summary>
[Trait("Category", "Unit")]
public sealed class AsciiRecordTests
{
    private static readonly string[] Customers =
    [
        "12345", " 12345", "12345 ", "\t12345\t", "", "   ", "C-1 2", "cust_9", new string('7', 256), new string('8', 257), "\"quoted 1\"", "\v12345\f",
    ];

    private static readonly string[] Dates =
    [
        "01/02/2023 09:10", "01/02/2023 09:10", "2023-02-01", " 2023-02-01 ", "2023-02-01T10:00:00Z", "20230201", "01.02.2023",
        "1 Feb 2023", "2/1/23 10:17 PM", "31/31/2023", "not a date", "", "2023-02-01" + new string(' ', 70) + "x", "2023-13-01",
    ];

    private static readonly string[] Numbers =
    [
        "2", "-3", "2.50", " 2.5 ", ".5", "5.", "-", "+5", "1e3", "\"1,234.50\"", "$4.99", "4.99$", "(5.00)", "(-5)", "-$5.00", "abc", "",
        "0.1234567890123456789", "0." + new string('0', 150) + "1", "1e400", "1e16", "999999999999999", "12\t", "0",
    ];

    private static readonly string[] Countries = ["France", " France", "France ", "", "United Kingdom", "\"Korea, Republic of\""];

    private static readonly string[] Invoices = ["536365", "536365", "C536365", "c1", "", " 536366 ", "INV-" + new string('9', 300)];

    [Fact]
    public void ReadRows_SameValuesAsBytesOrAsCharacters_SameRows()
    {
        var pairs = ReadPairs(separator: ',', decimalComma: false);

        Assert.True(pairs.Count > 1_000);
        Assert.Contains(pairs, pair => pair.Ascii.Flaws == RowFlaws.None);
        Assert.Contains(pairs, pair => (pair.Ascii.Flaws & RowFlaws.UnparseableAmount) != 0);
        Assert.Contains(pairs, pair => (pair.Ascii.Flaws & RowFlaws.UnparseableDate) != 0);
        Assert.Contains(pairs, pair => pair.Ascii.Quantity == -5);
        Assert.Contains(pairs, pair => pair.Ascii.CustomerId == "12345" && pair.Ascii.Country == "France");
        AssertSameRows(pairs);
    }

    [Fact]
    public void ReadRows_DecimalCommaAsBytesOrAsCharacters_SameRows()
    {
        var pairs = ReadPairs(separator: ';', decimalComma: true);

        Assert.Contains(pairs, pair => pair.Ascii.UnitPrice == 1234.5);
        AssertSameRows(pairs);
    }

    [Fact]
    public void Trim_AsciiBytes_TrimsWhatTrimmingCharactersTrims()
    {
        for (var c = 0; c < 128; c++)
        {
            var text = $"{(char)c}{(char)c}a{(char)c}b{(char)c}";
            var bytes = Encoding.ASCII.GetBytes(text);

            Assert.Equal(text.Trim(), Encoding.ASCII.GetString(CodeUnits.Trim<byte>(bytes)));
        }
    }

    /// <summary>The two readings of each record give the same row, but for where it stands and its raw bytes' hash.</summary>
    private static void AssertSameRows(List<(TransactionRow Ascii, TransactionRow Accented)> pairs)
    {
        foreach (var (ascii, accented) in pairs)
        {
            Assert.Equal(accented with { Line = ascii.Line, Fingerprint = ascii.Fingerprint }, ascii);
        }
    }

    /// <summary>
    /// Records of values picked from the lists, each written plain and, elsewhere in the file, with an accent; the first
    /// rows are plain so the file's separator, dates and decimal mark are detected as meant.
    /// </summary>
    private static List<(TransactionRow Ascii, TransactionRow Accented)> ReadPairs(char separator, bool decimalComma)
    {
        var text = new StringBuilder($"InvoiceNo{separator}InvoiceDate{separator}CustomerID{separator}Quantity{separator}UnitPrice{separator}Country{separator}Note\n");
        var price = decimalComma ? "1.234,50" : "4.50";
        for (var i = 0; i < 20; i++)
        {
            text.Append($"5000{i}{separator}03/02/2023 10:00{separator}9{i}{separator}1{separator}{price}{separator}France{separator}plain\n");
        }

        var numbers = decimalComma ? [.. Numbers, "2,5", "1.234,50", " 7,25 ", "1.2.3,4", "(3,50)"] : Numbers;
        var random = new Random(5);
        var records = Enumerable.Range(0, 1_500)
            .Select(_ => string.Join(separator, Pick(Invoices), Pick(Dates), Pick(Customers), Pick(numbers), Pick(numbers), Pick(Countries)))
            .ToArray();

        // Each plain record is followed by the accented copy of another, so a reading of one kind follows a reading of
        // the other with any value before it: what either remembers of the row before must hold for both.
        var order = Enumerable.Range(0, records.Length).ToArray();
        random.Shuffle(order);
        for (var i = 0; i < records.Length; i++)
        {
            text.Append($"{records[i]}{separator}plain\n{records[order[i]]}{separator}café\n");
        }

        var rows = ReadAll(text.ToString());
        Assert.Equal(20 + 3_000, rows.Count);
        var accented = new TransactionRow[records.Length];
        for (var i = 0; i < records.Length; i++)
        {
            accented[order[i]] = rows[20 + 2 * i + 1];
        }

        return [.. Enumerable.Range(0, records.Length).Select(i => (rows[20 + 2 * i], accented[i]))];

        string Pick(string[] values) => values[random.Next(values.Length)];
    }
}
