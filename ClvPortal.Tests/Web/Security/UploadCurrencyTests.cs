using ClvPortal.Web.Analyses;

namespace ClvPortal.Tests.Web.Security;

/// <summary>The upload form's currency: only a three-letter code is kept, and a refused value is quoted short and plain.</summary>
[Trait("Category", "Integration")]
public sealed class UploadCurrencyTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("\u202EGBP")]
    [InlineData("GB\u200BP")]
    [InlineData("G\u0000P")]
    [InlineData("ＧＢＰ")]
    [InlineData("€")]
    [InlineData("GBPX")]
    public void Parse_NotAThreeLetterCode_IsRefusedWithWhatToEnter(string currency)
    {
        var (settings, problem) = UploadForm.Parse(new Dictionary<string, string> { ["Currency"] = currency });

        Assert.Null(settings);
        Assert.StartsWith("The currency \"", problem!.Message, StringComparison.Ordinal);
        Assert.Contains("such as GBP, EUR or USD", problem.WhatToDo, StringComparison.Ordinal);
        // No invisible or direction-changing character reaches the message.
        Assert.DoesNotContain(problem.Message, c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);
    }

    [Fact]
    public void Parse_TenKilobyteCurrency_IsRefusedInAShortMessage()
    {
        var (settings, problem) = UploadForm.Parse(new Dictionary<string, string> { ["Currency"] = new string('A', 10_000) });

        Assert.Null(settings);
        Assert.True(problem!.Message.Length < 200, $"The message is {problem.Message.Length:N0} characters long.");
    }

    [Fact]
    public async Task Upload_ScriptAsCurrency_Answers400AndStoresNothing()
    {
        await using var factory = new PortalWebFactory();
        factory.Settings["Portal:Roles"] = "web";
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("currency"));

        using var response = await Analyses.AnalysesTestKit.UploadAsync(
            client, "orders.csv", Analyses.AnalysesTestKit.GeneratedCsv(5), new Dictionary<string, string> { ["Currency"] = "<script>alert(1)</script>" });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await new ClvPortal.Web.Data.PortalDb(factory.Database).Uploads.CountDocumentsAsync(MongoDB.Driver.FilterDefinition<ClvPortal.Web.Data.UploadDocument>.Empty));
    }
}
