using ClvPortal.Web.Data;
using ClvPortal.Web.Email;
using ClvPortal.Web.Results;

namespace ClvPortal.Tests.Web.Analyses;

[Trait("Category", "Unit")]
public sealed class AnalysisEmailTests
{
    /// <summary>The portal's default formats (Results:CurrencySymbol "$").</summary>
    private static readonly NumberFormats Dollars = new("$");

    private static UploadDocument Upload(UploadStatus status) => new()
    {
        Id = Guid.Parse("6f1c1a52-0c1d-4f4e-9a39-1d7f5e0a2b11"),
        OwnerId = "u1",
        OwnerEmail = "owner@example.com",
        FileName = "sales <2024>.csv",
        Status = status,
        Customers = 23570,
        HeadlineClvTotal = 1234567.8,
        Error = "No column holds dates.",
        ErrorWhatToDo = "Add a date column.",
    };

    [Fact]
    public void Compose_Succeeded_LinksToTheResultsUnderThePublicBaseUrl()
    {
        var email = AnalysisEmailJob.Compose(Upload(UploadStatus.Succeeded), "https://clv.example.com/", Dollars)!;

        Assert.Equal("https://clv.example.com/Analyses/Results?id=6f1c1a52-0c1d-4f4e-9a39-1d7f5e0a2b11", email.Link);
        Assert.Contains(email.Link, email.Text, StringComparison.Ordinal);
        Assert.Contains("23,570", email.Text, StringComparison.Ordinal);
        Assert.Contains("$1,234,568", email.Text, StringComparison.Ordinal);
        Assert.Contains("sales &lt;2024&gt;.csv", email.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GBP", "£1,234,568")]
    [InlineData("EUR", "€1,234,568")]
    [InlineData("CHF", "CHF 1,234,568")]
    public void Compose_FileInAnotherCurrency_WritesTheTotalInIt(string currency, string expected)
    {
        var upload = Upload(UploadStatus.Succeeded);
        upload.Currency = currency;

        var email = AnalysisEmailJob.Compose(upload, "https://clv.example.com/", Dollars)!;

        Assert.Contains(expected, email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("$", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_FileNamedNoCurrency_WritesTheConfiguredSymbolLikeThePages()
    {
        // A portal configured with Results:CurrencySymbol "€": My analyses writes a currency-less file's total in euros,
        // and so must the email (it used to fall back to "$" whatever the configuration said).
        var email = AnalysisEmailJob.Compose(Upload(UploadStatus.Succeeded), "https://clv.example.com/", new NumberFormats("€"))!;

        Assert.Contains("€1,234,568", email.Text, StringComparison.Ordinal);
        Assert.Contains("€1,234,568", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("$", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_Failed_SaysWhatWentWrongAndWhatToDo()
    {
        var email = AnalysisEmailJob.Compose(Upload(UploadStatus.Failed), "https://clv.example.com", Dollars)!;

        Assert.Contains("failed", email.Subject, StringComparison.Ordinal);
        Assert.Contains("No column holds dates.", email.Text, StringComparison.Ordinal);
        Assert.Contains("Add a date column.", email.Text, StringComparison.Ordinal);
        Assert.Equal("https://clv.example.com/Analyses/New", email.Link);
    }

    [Fact]
    public void Compose_StillRunning_SendsNothing() => Assert.Null(AnalysisEmailJob.Compose(Upload(UploadStatus.Running), "https://x", Dollars));
}
