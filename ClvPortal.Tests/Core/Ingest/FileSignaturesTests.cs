using System.Text;
using ClvPortal.Core.Ingest;

namespace ClvPortal.Tests.Core.Ingest;

[Trait("Category", "Unit")]
public sealed class FileSignaturesTests
{
    [Fact]
    public void OtherFormat_WindowsProgram_SaysItIsAProgram()
    {
        var exe = new byte[512];
        "MZ"u8.CopyTo(exe);
        exe[0x3C] = 0x80;
        "PE\0\0"u8.CopyTo(exe.AsSpan(0x80));

        Assert.Contains("program", FileSignatures.OtherFormat(exe), StringComparison.Ordinal);
    }

    [Fact]
    public void OtherFormat_CsvStartingWithMz_IsNotAProgram() =>
        Assert.Null(FileSignatures.OtherFormat(Encoding.UTF8.GetBytes("MZ code,date,amount\nA,2024-01-01,1\n" + new string('x', 100))));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Utf16_TextWithoutByteOrderMark_RecognisesTheByteOrder(bool bigEndian)
    {
        var bytes = new UnicodeEncoding(bigEndian, byteOrderMark: false).GetBytes("customer,date,amount\nZoë,2024-01-01,1.50\n");

        Assert.Equal(bigEndian ? Encoding.BigEndianUnicode : Encoding.Unicode, FileSignatures.Utf16(bytes));
    }

    [Fact]
    public void Utf16_TextWithAFewNulBytes_IsNotUtf16()
    {
        var bytes = Encoding.UTF8.GetBytes("customer,date,amount\nAn\0\0na,2024-01-01,1.50\nBob,2024-01-02,2\n");

        Assert.Null(FileSignatures.Utf16(bytes));
    }
}
