using ClvPortal.Core.Ingest;

namespace ClvPortal.Tests.Core.Ingest;

[Trait("Category", "Unit")]
public sealed class DateParserTests
{
    [Theory]
    [InlineData("2025-07-24", false, "2025-07-24T00:00:00")]
    [InlineData("2025-07-24T10:17:05Z", false, "2025-07-24T10:17:05")]
    [InlineData("2025-07-24 10:17:05.250+02:00", false, "2025-07-24T10:17:05.25")]
    [InlineData("20250724", false, "2025-07-24T00:00:00")]
    [InlineData("07/24/2025 10:17", false, "2025-07-24T10:17:00")]
    [InlineData("7/4/25 10:17 PM", false, "2025-07-04T22:17:00")]
    [InlineData("24.07.2025", true, "2025-07-24T00:00:00")]
    [InlineData("24-07-2025 08:05:09", true, "2025-07-24T08:05:09")]
    [InlineData("01-Dec-2010", false, "2010-12-01T00:00:00")]
    [InlineData("Dec 1, 2010 8:26", true, "2010-12-01T08:26:00")]
    [InlineData("1 December 2010", false, "2010-12-01T00:00:00")]
    public void TryParse_CommonExportShapes_ReadsTheDate(string text, bool dayFirst, string expected)
    {
        Assert.True(DateParser.TryParse(text, dayFirst, allowSerial: false, date1904: false, out var value));
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("13/13/2025")]
    [InlineData("2025-02-30")]
    [InlineData("yesterday")]
    [InlineData("12/1/2010 25:00")]
    [InlineData("45500")]
    public void TryParse_NotADate_Fails(string text) =>
        Assert.False(DateParser.TryParse(text, dayFirst: false, allowSerial: false, date1904: false, out _));

    [Fact]
    public void TryParse_ExcelSerialWhenAllowed_UsesTheEpochOfTheDateSystem()
    {
        // Excel: serial 45497 is 2024-07-24 in the 1900 system; the 1904 system is 1,462 days later.
        Assert.True(DateParser.TryParse("45497.5", false, allowSerial: true, date1904: false, out var value1900));
        Assert.True(DateParser.TryParse("44035.5", false, allowSerial: true, date1904: true, out var value1904));

        Assert.Equal(new DateTime(2024, 7, 24, 12, 0, 0), value1900);
        Assert.Equal(value1900, value1904);
    }
}
