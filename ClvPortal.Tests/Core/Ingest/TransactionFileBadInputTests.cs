using System.IO.Compression;
using System.Text;
using ClvPortal.Core.Ingest;
using static ClvPortal.Tests.Core.Ingest.IngestTestFiles;

namespace ClvPortal.Tests.Core.Ingest;

/// <summary>Files users really upload by mistake: each must stop with what is wrong and what to do, never a crash.</summary>
public sealed class TransactionFileBadInputTests
{
    [Trait("Category", "Unit")]
    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF \r\n\r\n")]
    public void Open_EmptyFile_SaysItIsEmpty(string text)
    {
        var problem = ProblemOf(() => Open(Encoding.UTF8.GetBytes(text), "orders.csv"));

        Assert.Contains("is empty", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Export", problem.WhatToDo, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Open_HeaderOnly_SaysThereAreNoRowsAndNamesColumns()
    {
        var problem = ProblemOf(() => OpenText("customer,date,amount\n"));

        Assert.Contains("no transaction rows", problem.Message, StringComparison.Ordinal);
        Assert.Contains("\"customer\", \"date\", \"amount\"", problem.Message, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Open_BinaryFileNamedCsv_SaysItIsNotText()
    {
        var bytes = new byte[10_000];
        new Random(7).NextBytes(bytes);

        var problem = ProblemOf(() => Open(bytes, "orders.csv"));

        Assert.Contains("binary data", problem.Message, StringComparison.Ordinal);
        Assert.Contains(".csv or .xlsx", problem.WhatToDo, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Open_PdfNamedCsv_SaysItIsAPdf()
    {
        var problem = ProblemOf(() => Open(Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj\n"), "orders.csv"));

        Assert.Contains("PDF", problem.Message, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Open_XlsxThatIsNotAZip_SaysItIsNotAWorkbook()
    {
        var problem = ProblemOf(() => Open(Encoding.UTF8.GetBytes("this is not a workbook"), "orders.xlsx"));

        Assert.Contains("not a valid .xlsx", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Save As", problem.WhatToDo, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Open_PasswordProtectedWorkbook_AsksToRemoveThePassword()
    {
        // Excel encrypts protected workbooks into an OLE compound file (magic D0 CF 11 E0 A1 B1 1A E1), like .xls.
        var bytes = new byte[4096];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(bytes, 0);

        var problem = ProblemOf(() => Open(bytes, "protected.xlsx"));

        Assert.Contains("password-protected", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Remove the password", problem.WhatToDo, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Open_LegacyXls_AsksToSaveAsXlsxOrCsv()
    {
        var bytes = new byte[4096];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(bytes, 0);

        var problem = ProblemOf(() => Open(bytes, "orders.xls"));

        Assert.Contains("97-2003", problem.Message, StringComparison.Ordinal);
        Assert.Contains(".xlsx", problem.WhatToDo, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Open_ZipOfOtherFiles_SaysItIsNotAWorkbook()
    {
        var bytes = Zip(("readme.txt", Encoding.UTF8.GetBytes("hello")));

        var problem = ProblemOf(() => Open(bytes, "orders.zip"));

        Assert.Contains("not an Excel workbook", problem.Message, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Open_ZipBombWorkbook_StopsBeforeInflatingIt()
    {
        // 64 MB of one repeated byte deflates ~1000:1, far beyond any real worksheet.
        var bytes = Workbook(new byte[64 << 20]);

        var problem = ProblemOf(() => Open(bytes, "bomb.xlsx"));

        Assert.Contains("zip bomb", problem.Message, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Open_SheetLargerThanTheLimit_StopsWithTheLimit()
    {
        var sheet = Encoding.UTF8.GetBytes("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" +
            string.Concat(Enumerable.Range(1, 20_000).Select(i => $"<row r=\"{i}\"><c r=\"A{i}\"><v>{i}</v></c></row>")) + "</sheetData></worksheet>");

        var problem = ProblemOf(() => Open(Workbook(sheet), "big.xlsx", new IngestOptions { MaxUncompressedBytes = 100_000 }));

        Assert.Contains("more than 0 MB", problem.Message, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Open_TruncatedWorkbook_SaysDamagedOrIncomplete()
    {
        var bytes = XlsxTestFiles.Build([("Orders", [["customer", "date", "amount"], ["a", new DateTime(2025, 1, 1), 1]])]);

        var problem = ProblemOf(() => Open(bytes[..(bytes.Length / 2)], "orders.xlsx"));

        Assert.Contains("damaged or incomplete", problem.Message, StringComparison.Ordinal);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void ReadRows_WorkbookCorruptedInTheMiddle_SaysDamagedOrIncomplete()
    {
        var rows = new List<object?[]> { new object?[] { "customer", "date", "amount" } };
        var random = new Random(3);
        for (var i = 0; i < 10_000; i++)
        {
            rows.Add([$"c{random.Next(100_000)}", new DateTime(2025, 1, 1).AddMinutes(random.Next(500_000)), random.Next(1, 500)]);
        }

        var bytes = XlsxTestFiles.Build([("Orders", rows.ToArray())]);
        var middle = bytes.Length / 2;
        for (var i = 0; i < 64; i++)
        {
            bytes[middle + i] ^= 0x5A;
        }

        var problem = ProblemOf(() =>
        {
            using var file = Open(bytes, "orders.xlsx");
            _ = file.ReadRows().Count();
        });

        Assert.Contains("damaged or incomplete", problem.Message, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Open_NoDateColumn_NamesWhatIsRequiredAndListsColumns()
    {
        var problem = ProblemOf(() => OpenText("customer,amount,note\na,5,first\n"));

        Assert.Contains("No purchase date column", problem.Message, StringComparison.Ordinal);
        Assert.Contains("\"customer\", \"amount\", \"note\"", problem.Message, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Open_NoAmountColumn_AsksForAmountOrQuantityAndPrice()
    {
        var problem = ProblemOf(() => OpenText("customer,date,quantity\na,2025-01-01,5\n"));

        Assert.Contains("amount (or quantity and unit price)", problem.Message, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void ReadRows_EveryRowInvalid_FlagsEveryRowWithoutDroppingAny()
    {
        // (A row of only empty cells is a blank line, skipped: this one has something in it.)
        var rows = ReadAll("customer,date,amount\n,never,n/a\n,,-\n");

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.True(r.Flaws.HasFlag(RowFlaws.MissingCustomerId) && r.Flaws != RowFlaws.MissingCustomerId));
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Open_FiftyMegabyteSingleLine_SaysTheLineIsTooLong()
    {
        var bytes = new byte[50 << 20];
        bytes.AsSpan().Fill((byte)'a');

        var problem = ProblemOf(() => Open(bytes, "orders.csv"));

        Assert.Contains("Line 1 ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("one transaction per line", problem.WhatToDo, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void ReadRows_HugeLineAfterTheSample_StopsWithTheLineNumber()
    {
        // 4.5 MB of rows first, so the 4 MB detection sample ends before the long line.
        var text = new StringBuilder("customer,date,amount\n");
        for (var i = 0; i < 300_000; i++)
        {
            text.Append("c,2025-01-01,1\n");
        }

        text.Append('x', 3 << 20).Append('\n');
        using var file = OpenText(text.ToString());

        var problem = ProblemOf(() => file.ReadRows().Count());

        Assert.Contains("Line 300,002 ", problem.Message, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Open_SecondLineLongerThanTheSample_SaysThatLineIsTooLong()
    {
        // The 4 MB sample ends inside line 2: it must not be taken for a header without rows.
        var text = new StringBuilder("customer,date,amount,note\nc1,2025-01-01,10,");
        text.Append('x', 5 << 20).Append("\nc2,2025-01-02,20,short\n");

        var problem = ProblemOf(() => OpenText(text.ToString()));

        Assert.Contains("Line 2 ", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no transaction rows", problem.Message, StringComparison.Ordinal);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void Open_OnlyEmptyRowsInTheSample_SaysSoInsteadOfHeaderOnly()
    {
        var text = new StringBuilder("customer,date,amount\n");
        text.Insert(text.Length, ",,\n", 1_500_000).Append("c1,2025-01-01,10\n");

        var problem = ProblemOf(() => OpenText(text.ToString()));

        Assert.Contains("only empty rows", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Delete the empty rows", problem.WhatToDo, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void ReadRows_QuoteNeverClosed_SaysWhichLineOpensIt()
    {
        using var file = OpenText("customer,date,amount,note\na,2025-01-01,1,ok\nb,2025-01-02,2,\"open\nc,2025-01-03,3,ok\n");

        var problem = ProblemOf(() => file.ReadRows().Count());

        Assert.Contains("Line 3 opens a quoted value", problem.Message, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void ReadRows_QuoteNeverClosedInUtf16_SaysWhichLineOpensIt()
    {
        using var file = OpenText("customer,date,amount,note\na,2025-01-01,1,ok\nb,2025-01-02,2,ok\nc,2025-01-03,3,\"open\nd,2025-01-04,4,ok\n", encoding: Encoding.Unicode);

        var problem = ProblemOf(() => file.ReadRows().Count());

        Assert.Contains("Line 4 opens a quoted value", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Open_QuoteNeverClosedInALargeFile_StopsAtTheLineThatOpensIt()
    {
        // The open quote swallows 6 MB, past the record limit, already within the detection sample.
        var text = new StringBuilder("customer,date,amount,note\nc,2025-01-01,1,\"open\n");
        text.Insert(text.Length, "c,2025-01-01,1,\n", 400_000);

        var problem = ProblemOf(() =>
        {
            using var file = OpenText(text.ToString());
            _ = file.ReadRows().Count();
        });

        Assert.Contains("Line 2 ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("a quote is never closed", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Open_DoctypeInAWorksheet_RefusesItAsAnEntityAttack()
    {
        var sheet = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;\">]>" +
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol1;</t></is></c></row></sheetData></worksheet>");

        var problem = ProblemOf(() => Open(Workbook(sheet), "laughs.xlsx"));

        Assert.Contains("entity bomb", problem.Message, StringComparison.Ordinal);
        Assert.Contains("xl/worksheets/sheet1.xml", problem.Message, StringComparison.Ordinal);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Open_ZipBombWorkbook_StatesTheRatioNotALimitItDidNotReach()
    {
        var problem = ProblemOf(() => Open(Workbook(new byte[64 << 20]), "bomb.xlsx"));

        Assert.Contains("to 64 MB", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("4,096", problem.Message, StringComparison.Ordinal);
    }

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(content);
            }
        }

        return memory.ToArray();
    }

    /// <summary>A minimal package whose one worksheet holds the given bytes.</summary>
    private static byte[] Workbook(byte[] sheet) => Zip(
        ("_rels/.rels", Encoding.UTF8.GetBytes("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")),
        ("xl/workbook.xml", Encoding.UTF8.GetBytes("<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>")),
        ("xl/_rels/workbook.xml.rels", Encoding.UTF8.GetBytes("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>")),
        ("xl/worksheets/sheet1.xml", sheet));
}
