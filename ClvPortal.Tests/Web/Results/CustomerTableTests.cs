using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using ClvPortal.Web.Data;

namespace ClvPortal.Tests.Web.Results;

/// <summary>The customer table pages, sorts and searches on the server and shows exactly the expected customers.</summary>
[Trait("Category", "Integration")]
public sealed class CustomerTableTests(PortalWebFactory factory) : IClassFixture<PortalWebFactory>
{
    private const int Customers = 120;

    [Fact]
    public async Task Customers_DefaultSort_FirstPageIsTheFiftyHighestClv()
    {
        var (client, uploadId, rows) = await SeedAsync();

        var ids = await IdsAsync(client, $"/analyses/{uploadId}/customers");

        Assert.Equal(rows.OrderByDescending(c => c.HeadlineClv).Take(50).Select(c => c.HeadlineClv), Clvs(rows, ids));
    }

    [Fact]
    public async Task Customers_SortByAliveAscendingPageTwo_IsTheNextFiftyLeastLikelyActive()
    {
        var (client, uploadId, rows) = await SeedAsync();

        var ids = await IdsAsync(client, $"/analyses/{uploadId}/customers?sort=Alive&dir=asc&p=2");

        var expected = rows.OrderBy(c => c.ProbabilityAlive).Skip(50).Take(50).Select(c => c.ProbabilityAlive);
        Assert.Equal(expected, ids.Select(id => rows.Single(c => c.CustomerId == id).ProbabilityAlive));
    }

    [Fact]
    public async Task Customers_SortByRevenueLastPage_HoldsTheRemainder()
    {
        var (client, uploadId, rows) = await SeedAsync();

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers?sort=Revenue&dir=desc&p=3");

        var ids = Ids(page);
        Assert.Equal(Customers - 100, ids.Count);
        Assert.Equal(rows.OrderByDescending(c => c.TotalRevenue).Skip(100).Select(c => c.TotalRevenue), ids.Select(id => rows.Single(c => c.CustomerId == id).TotalRevenue));
        Assert.Contains("Page 3 of 3", page.QuerySelector(".pager")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "prev")]
    [InlineData(3, "next")]
    public async Task Customers_FirstOrLastPage_PagerLinksNowherePastTheEnd(int pageNumber, string rel)
    {
        var (client, uploadId, _) = await SeedAsync();

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers?p={pageNumber}");

        var pager = page.QuerySelector(".pager")!;
        // A disabled button that still pointed at page 0 (or 4) loaded it when clicked or reached by keyboard.
        Assert.Null(pager.QuerySelector($"a[rel={rel}]"));
        Assert.Single(pager.QuerySelectorAll("[aria-disabled=true]"));
        Assert.Single(pager.QuerySelectorAll("a[href]"));
    }

    [Fact]
    public async Task Customers_SearchLowerCasePrefix_FindsTheUpperCaseIds()
    {
        var (client, uploadId, _) = await SeedAsync();

        var ids = await IdsAsync(client, $"/analyses/{uploadId}/customers?q=c00001");

        // C000010..C000019.
        Assert.Equal(Enumerable.Range(10, 10).Select(i => $"C{i:D6}").Order(), ids.Order());
    }

    [Fact]
    public async Task Customers_SearchWithRegexCharacters_MatchesLiterallyAndSaysNothingFound()
    {
        var (client, uploadId, _) = await SeedAsync();

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers?q={Uri.EscapeDataString("C.*")}");

        Assert.Empty(Ids(page));
        Assert.Contains("No customer id starts with", page.QuerySelector(".empty")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Customers_Rows_LinkToTheCustomerPage()
    {
        var (client, uploadId, rows) = await SeedAsync();
        var top = rows.MaxBy(c => c.HeadlineClv)!;

        var link = (await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers"))
            .QuerySelector<IHtmlAnchorElement>("table[data-table=customers] tbody tr td a")!;
        var customer = await PortalWebFactory.GetPageAsync(client, link.PathName);

        Assert.Equal($"/analyses/{uploadId}/customers/{top.CustomerId}", link.PathName);
        Assert.Contains(top.CustomerId, customer.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("$", customer.QuerySelector("[data-kpi=clv]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Customers_IdWithSlashesAndQuery_LinkOpensThatCustomersPage()
    {
        const string id = "ACME/2024/7?ref=\"x\"&y";
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 5, id);

        var link = (await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers"))
            .QuerySelector<IHtmlAnchorElement>("table[data-table=customers] tbody tr td a")!;
        var customer = await PortalWebFactory.GetPageAsync(client, link.GetAttribute("href")!);

        Assert.Equal(id, link.TextContent);
        Assert.Contains(id, customer.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ACME%2F1234")]
    [InlineData("ACME%2f1234/5")]
    [InlineData("100%")]
    [InlineData("%")]
    [InlineData("%252F")]
    [InlineData("a+b c")]
    [InlineData("what?x=1&y=2")]
    [InlineData("#7")]
    [InlineData(" padded ")]
    [InlineData("Müller/Łódź 東京")]
    [InlineData("..")]
    [InlineData("a/../b")]
    [InlineData("/leading//double/")]
    [InlineData("back\\slash")]
    public async Task Customers_AnyCustomerId_LinkOpensThatCustomersPage(string id)
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 3, id);

        var link = (await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers"))
            .QuerySelector<IHtmlAnchorElement>("table[data-table=customers] tbody tr td a")!;
        var customer = await PortalWebFactory.GetPageAsync(client, link.GetAttribute("href")!);

        Assert.Equal(id, link.TextContent);
        Assert.Equal("Customer " + id, customer.QuerySelector("h1")!.TextContent);
    }

    private async Task<(HttpClient Client, Guid UploadId, List<CustomerResultDocument> Rows)> SeedAsync()
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var (uploadId, rows) = await ResultsTestData.SeedAsync(factory, ownerId, Customers);
        return (client, uploadId, rows);
    }

    private static async Task<List<string>> IdsAsync(HttpClient client, string path) => Ids(await PortalWebFactory.GetPageAsync(client, path));

    private static List<string> Ids(IHtmlDocument page) =>
        page.QuerySelectorAll("table[data-table=customers] tbody tr td:first-child a").Select(a => a.TextContent.Trim()).ToList();

    private static IEnumerable<double> Clvs(List<CustomerResultDocument> rows, List<string> ids) =>
        ids.Select(id => rows.Single(c => c.CustomerId == id).HeadlineClv);
}
