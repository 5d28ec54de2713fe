using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Features;
using ClvPortal.Core.Ingest;
using ClvPortal.Web.Analyses;

namespace ClvPortal.Tests.Web.Analyses;

[Trait("Category", "Unit")]
public sealed class UploadFormTests
{
    [Fact]
    public void Parse_NoFields_GivesTheDefaults()
    {
        var (settings, problem) = UploadForm.Parse(new Dictionary<string, string>());

        Assert.Null(problem);
        Assert.Equal(12, settings!.HorizonMonths);
        Assert.Equal(TimeUnit.Days, settings.TimeUnit);
        Assert.Equal(ReturnsHandling.Net, settings.Returns);
        Assert.Equal(DateOrder.Auto, settings.DateOrder);
        Assert.Equal(0, settings.MonthlyDiscountRate);
        Assert.Null(settings.Columns.CustomerId);
    }

    [Fact]
    public void Parse_AllFields_KeepsWhatTheUserChose()
    {
        var (settings, _) = UploadForm.Parse(new Dictionary<string, string>
        {
            ["HorizonMonths"] = "24",
            ["TimeUnit"] = "Weeks",
            ["Returns"] = "Drop",
            ["DateOrder"] = "DayFirst",
            ["Sheet"] = " Orders ",
            ["Columns.CustomerId"] = "Client",
            ["Columns.Date"] = "",
            ["Columns.Amount"] = "Total",
        });

        Assert.Equal(24, settings!.HorizonMonths);
        Assert.Equal(TimeUnit.Weeks, settings.TimeUnit);
        Assert.Equal(ReturnsHandling.Drop, settings.Returns);
        Assert.Equal(DateOrder.DayFirst, settings.DateOrder);
        Assert.Equal("Orders", settings.Sheet);
        Assert.Equal("Client", settings.Columns.CustomerId);
        Assert.Null(settings.Columns.Date);
        Assert.Equal("Total", settings.Columns.Amount);
    }

    [Fact]
    public void Parse_YearlyDiscountRate_CompoundsToTheSameYearlyRate()
    {
        var (settings, _) = UploadForm.Parse(new Dictionary<string, string> { ["AnnualDiscountRatePercent"] = "10" });

        Assert.Equal(1.10, Math.Pow(1 + settings!.MonthlyDiscountRate, 12), 12);
    }

    [Theory]
    [InlineData("HorizonMonths", "0")]
    [InlineData("HorizonMonths", "a year")]
    [InlineData("AnnualDiscountRatePercent", "-5")]
    [InlineData("TimeUnit", "Fortnights")]
    [InlineData("Returns", "7")]
    [InlineData("Currency", "£")]
    [InlineData("Currency", "pounds")]
    public void Parse_BadValue_ExplainsWhatToEnter(string field, string value)
    {
        var (settings, problem) = UploadForm.Parse(new Dictionary<string, string> { [field] = value });

        Assert.Null(settings);
        Assert.False(string.IsNullOrWhiteSpace(problem!.WhatToDo));
    }

    [Fact]
    public void Parse_CurrencyCode_IsUpperCased()
    {
        var (settings, _) = UploadForm.Parse(new Dictionary<string, string> { ["Currency"] = " gbp " });

        Assert.Equal("GBP", settings!.Currency);
    }

    [Fact]
    public void Parse_QuantityWithoutUnitPrice_AsksForBoth()
    {
        var (_, problem) = UploadForm.Parse(new Dictionary<string, string> { ["Columns.Quantity"] = "Qty" });

        Assert.Contains("unit price", problem!.Message, StringComparison.Ordinal);
    }
}
