using System.Diagnostics;
using System.Net;
using AngleSharp.Html.Parser;
using ClvPortal.Tests.Web.Results;
using ClvPortal.Web.Data;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Security;

/// <summary>
/// The customer table's filters and the segment exports attacked through their query strings (another owner's id,
/// unknown values, regex and Mongo operators, huge strings, odd page numbers), and the file's own text (emails,
/// names, countries, ids, the currency) shown on the pages as text only.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CustomerTableAttackTests(PortalWebFactory factory) : IClassFixture<PortalWebFactory>
{
    private const string Script = "<script>alert(1)</script>";

    private async Task<(HttpClient Client, Guid UploadId)> SeedAsync(params string[] extraIds)
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory, "attack");
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 120, extraIds);
        return (client, uploadId);
    }

    private static int Total(AngleSharp.Html.Dom.IHtmlDocument page) =>
        int.Parse(page.QuerySelector("[data-total]")!.GetAttribute("data-total")!, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("customers?list=vip&tier=top1&churn=high&q=C&col=email")]
    [InlineData("export/csv?list=win-back")]
    [InlineData("export/xlsx?tier=top1&q=C0")]
    [InlineData("export/csv?q[$ne]=x")]
    public async Task FilteredView_AnotherOwnersAnalysis_Is404WithNoCustomer(string path)
    {
        var (_, uploadId) = await SeedAsync("SECRET-CUSTOMER");
        var (intruder, _) = await ResultsTestData.NewUserAsync(factory, "intruder");

        using var response = await intruder.GetAsync($"/analyses/{uploadId}/{path}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("SECRET-CUSTOMER", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tier=gold", "\"gold\"")]
    [InlineData("churn=extreme", "\"extreme\"")]
    [InlineData("list=%3Cscript%3E", "\"<script>\"")]
    public async Task Export_UnknownFilterValue_Answers400NamingIt(string query, string named)
    {
        var (client, uploadId) = await SeedAsync();

        foreach (var format in new[] { "csv", "xlsx" })
        {
            using var response = await client.GetAsync($"/analyses/{uploadId}/export/{format}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            // Never HTML that a browser could run.
            Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData("(a+)+$")]
    [InlineData(".*")]
    [InlineData("^C")]
    [InlineData("[C]")]
    [InlineData("C|A")]
    [InlineData("\\")]
    [InlineData("{\"$ne\":\"\"}")]
    [InlineData("$where")]
    public async Task Search_RegexOrOperatorText_MatchesLiterallyOnlyThatId(string q)
    {
        var literal = "ID" + q;
        var (client, uploadId) = await SeedAsync(literal);

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers?q={Uri.EscapeDataString(literal)}");
        using var csv = await client.GetAsync($"/analyses/{uploadId}/export/csv?q={Uri.EscapeDataString(literal)}");

        Assert.Equal(1, Total(page));
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var none = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers?q={Uri.EscapeDataString(q)}");
        Assert.Equal(0, Total(none));
    }

    [Fact]
    public async Task Search_OperatorInTheParameterName_IsNoFilterAtAll()
    {
        var (client, uploadId) = await SeedAsync();
        var all = Total(await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers"));

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers?q[$ne]=nobody&q[$regex]=.*&tier[$ne]=top1");

        // The operator keys bind to nothing: the view is everyone, as without them, never a query Mongo reads as an operator.
        Assert.Equal(all, Total(page));
    }

    [Fact]
    public async Task Search_HugeReDoSString_AnswersQuicklyAndIsCutToTheLimit()
    {
        var (client, uploadId) = await SeedAsync();
        var q = string.Concat(Enumerable.Repeat("(a+)+", 4_000)) + "!";

        var clock = Stopwatch.StartNew();
        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers?q={Uri.EscapeDataString(q)}");
        using var csv = await client.GetAsync($"/analyses/{uploadId}/export/csv?q={Uri.EscapeDataString(q)}");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Took {clock.Elapsed}.");
        Assert.Equal(0, Total(page));
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.DoesNotContain(q, page.DocumentElement.OuterHtml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-5", 1)]
    [InlineData("0", 1)]
    [InlineData("NaN", 1)]
    [InlineData("1e9", 1)]
    [InlineData("2147483647", 3)]
    [InlineData("99999999999999999999", 1)]
    public async Task Customers_OddPageNumber_ShowsAPageInRange(string p, int expected)
    {
        var (client, uploadId) = await SeedAsync();

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers?p={p}");

        Assert.Equal(expected == 1 ? 50 : 20, page.QuerySelectorAll("table[data-table=customers] tbody tr").Length);
    }

    [Fact]
    public async Task Customers_UnknownAndRepeatedColumns_ShowEachKnownColumnOnce()
    {
        var (client, uploadId) = await SeedAsync();

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers?col=email&col=EMAIL&col=email&col=%3Cscript%3E&col=password&col=country");

        var headers = page.QuerySelectorAll("table[data-table=customers] thead th").Select(th => th.TextContent.Trim()).ToList();
        Assert.Single(headers, h => h == "Email");
        Assert.Single(headers, h => h == "Country");
        Assert.DoesNotContain(headers, h => h.Contains("script", StringComparison.OrdinalIgnoreCase) || h.Contains("password", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(Script, page.DocumentElement.OuterHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileText_ScriptInContactFieldsIdAndCurrency_IsShownAsTextOnEveryPage()
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory, "xss");
        var evilId = "<img src=x onerror=alert(1)>";
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 30, evilId);
        var db = factory.Services.GetRequiredService<PortalDb>();
        await db.CustomerResults.UpdateOneAsync(
            c => c.UploadId == uploadId && c.CustomerId == evilId,
            Builders<CustomerResultDocument>.Update.Set(c => c.Email, Script + "@example.com").Set(c => c.Name, "\u202Emoc.elgoog" + Script).Set(c => c.Country, "</td><script>x</script>"));
        // A currency can only be three letters through the forms; were one ever stored otherwise, it is still text.
        await db.Uploads.UpdateOneAsync(u => u.Id == uploadId, Builders<UploadDocument>.Update.Set(u => u.Currency, Script));

        string[] pages =
        [
            $"/analyses/{uploadId}/customers?col=email&col=name&col=country",
            $"/analyses/{uploadId}/customers/{Uri.EscapeDataString(Uri.EscapeDataString(evilId))}",
            $"/analyses/{uploadId}/results",
        ];
        foreach (var path in pages)
        {
            using var response = await client.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script>x", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
            var doc = new HtmlParser().ParseDocument(html);
            Assert.Empty(doc.QuerySelectorAll("img[onerror]"));
            // Only the portal's own scripts: none inline but the JSON data island.
            Assert.All(doc.Scripts, s => Assert.True(s.Source is { Length: > 0 } || s.Type == "application/json", path));
        }

        var table = await PortalWebFactory.GetPageAsync(client, pages[0]);
        Assert.Contains(Script + "@example.com", table.QuerySelector("table[data-table=customers]")!.TextContent, StringComparison.Ordinal);
        var customer = await PortalWebFactory.GetPageAsync(client, pages[1]);
        Assert.Equal("</td><script>x</script>", customer.QuerySelector("[data-field=country]")!.TextContent);
    }
}
