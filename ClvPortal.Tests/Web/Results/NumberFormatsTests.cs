using ClvPortal.Web.Results;

namespace ClvPortal.Tests.Web.Results;

/// <summary>Number text on the results pages: no sign for nothing, nouns that agree with their count, one way to write a percentage.</summary>
[Trait("Category", "Unit")]
public sealed class NumberFormatsTests
{
    private readonly NumberFormats _formats = new("$");

    [Theory]
    [InlineData(-0.0)]
    [InlineData(-0.004)]
    [InlineData(-1e-12)]
    public void Money2_NegativeThatRoundsToZero_ReadsZeroWithoutSign(double value) =>
        Assert.Equal("$0.00", _formats.Money2(value));

    [Theory]
    [InlineData(-0.4)]
    [InlineData(-0.0)]
    public void Money_NegativeThatRoundsToZero_ReadsZeroWithoutSign(double value) =>
        Assert.Equal("$0", _formats.Money(value));

    [Fact]
    public void Money_RealNegatives_KeepTheirSignBeforeTheSymbol()
    {
        Assert.Equal("-$0.01", _formats.Money2(-0.006));
        Assert.Equal("-$1,235", _formats.Money(-1234.6));
    }

    [Theory]
    [InlineData("GBP", "£0.00", "-£1,235", "-£0.01")]
    [InlineData("EUR", "€0.00", "-€1,235", "-€0.01")]
    [InlineData("CHF", "CHF 0.00", "-CHF 1,235", "-CHF 0.01")]
    public void For_AnalysisCurrency_WritesItsSymbolWithTheSameRules(string currency, string zero, string total, string cent)
    {
        // An analysis' formats are NumberFormats.For(its currency): no sign for nothing there either.
        var formats = _formats.For(currency);
        Assert.Equal(zero, formats.Money2(-0.004));
        Assert.Equal(total, formats.Money(-1234.6));
        Assert.Equal(cent, formats.Money2(-0.006));
        Assert.Equal("1 order", formats.Count(1, "order"));
    }

    [Fact]
    public void PercentAndNumber_NegativeThatRoundsToZero_ReadZero()
    {
        Assert.Equal("0.0%", _formats.Percent(-0.0004));
        Assert.Equal("0.00", _formats.Number(-0.001));
        Assert.Equal("-1.0%", _formats.Percent(-0.01));
    }

    [Theory]
    [InlineData(0, "0 orders")]
    [InlineData(1, "1 order")]
    [InlineData(2, "2 orders")]
    [InlineData(1234, "1,234 orders")]
    public void Count_WithNoun_AgreesWithTheCount(long count, string expected) =>
        Assert.Equal(expected, _formats.Count(count, "order"));

    [Fact]
    public void Count_IrregularPlural_UsesIt()
    {
        Assert.Equal("1 repeat purchase", _formats.Count(1, "repeat purchase"));
        Assert.Equal("3 people", _formats.Count(3, "person", "people"));
    }

    [Fact]
    public void Percent_ShareOfWhole_HasNoSpaceBeforeTheSign()
    {
        Assert.Equal("127.0%", _formats.Percent(1.27));
        Assert.Equal("7.5%", _formats.Percent(0.075));
    }

    [Fact]
    public void Sentence_StoredWithSpacedPercentages_ReadsLikeThePage()
    {
        Assert.Equal(
            "total +7% off, 127% average error per tenth of customers; 100% sure",
            NumberFormats.Sentence("total +7% off, 127 % average error per tenth of customers; 100 % sure"));
        Assert.Equal("a % sign alone stays", NumberFormats.Sentence("a % sign alone stays"));
    }
}
