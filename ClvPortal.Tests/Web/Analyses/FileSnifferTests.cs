using System.Text;
using ClvPortal.Web.Analyses;

namespace ClvPortal.Tests.Web.Analyses;

[Trait("Category", "Unit")]
public sealed class FileSnifferTests
{
    private static readonly byte[] Csv = Encoding.UTF8.GetBytes("customer,date,amount\n1,2024-01-02,10.5\n");
    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00];
    private static readonly byte[] Ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0];

    [Fact]
    public void Check_CsvText_IsCsv() => Assert.Equal(UploadFormat.Csv, FileSniffer.Check("sales.csv", Csv).Format);

    [Fact]
    public void Check_ZipNamedXlsx_IsXlsx() => Assert.Equal(UploadFormat.Xlsx, FileSniffer.Check("Sales.XLSX", Zip).Format);

    [Theory]
    [InlineData("sales.xls")]
    [InlineData("sales.xlsx")]
    [InlineData("sales.csv")]
    public void Check_OleCompoundFile_AsksToSaveAsXlsxOrCsv(string name)
    {
        var problem = FileSniffer.Check(name, Ole).Problem;

        Assert.NotNull(problem);
        Assert.Contains(".xls", problem.Message, StringComparison.Ordinal);
        Assert.Contains("save it as .xlsx", problem.WhatToDo, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BinaryNamedCsv_SaysItIsNotText()
    {
        var problem = FileSniffer.Check("export.csv", [0x01, 0x02, 0x00, 0x7F, 0x45]).Problem;

        Assert.NotNull(problem);
        Assert.Contains("binary data", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_WorkbookNamedCsv_SaysItIsAWorkbook() =>
        Assert.Contains("Excel workbook", FileSniffer.Check("export.csv", Zip).Problem!.Message, StringComparison.Ordinal);

    [Fact]
    public void Check_TextNamedXlsx_SaysItIsNotAWorkbook() =>
        Assert.Contains("not an Excel workbook", FileSniffer.Check("export.xlsx", Csv).Problem!.Message, StringComparison.Ordinal);

    [Fact]
    public void Check_Utf16Csv_IsCsvDespiteZeroBytes() =>
        Assert.Equal(UploadFormat.Csv, FileSniffer.Check("sales.csv", [0xFF, 0xFE, (byte)'a', 0, (byte)',', 0]).Format);

    [Fact]
    public void Check_ProtectedWorkbookNamedXlsx_MentionsThePassword() =>
        Assert.Contains("password", FileSniffer.Check("sales.xlsx", Ole).Problem!.Message, StringComparison.Ordinal);

    [Fact]
    public void Check_PngNamedCsv_SaysItIsAnImage() =>
        Assert.Contains("is a PNG image", FileSniffer.Check("sales.csv", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]).Problem!.Message, StringComparison.Ordinal);

    [Fact]
    public void Check_CsvTextNamedXlsx_AsksToRenameIt() =>
        Assert.Contains("rename it to .csv", FileSniffer.Check("export.xlsx", Csv).Problem!.WhatToDo, StringComparison.Ordinal);

    [Fact]
    public void Check_Utf16CsvWithoutByteOrderMark_IsCsv() =>
        Assert.Equal(UploadFormat.Csv, FileSniffer.Check("sales.csv", new UnicodeEncoding(false, false).GetBytes("customer,date,amount\na,2024-01-02,10.5\n")).Format);

    [Theory]
    [InlineData("sales.pdf")]
    [InlineData("sales")]
    public void Check_OtherExtension_NamesTheAcceptedFormats(string name) =>
        Assert.Contains(".csv or .xlsx", FileSniffer.Check(name, Csv).Problem!.Message, StringComparison.Ordinal);

    [Fact]
    public void Check_EmptyFile_SaysItIsEmpty() =>
        Assert.Contains("empty", FileSniffer.Check("sales.csv", []).Problem!.Message, StringComparison.Ordinal);
}
