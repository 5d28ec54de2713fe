using System.Net;
using System.Text;
using ClosedXML.Excel;
using ClvPortal.Core.Models;
using ClvPortal.Web.Data;
using Microsoft.Extensions.DependencyInjection;

namespace ClvPortal.Tests.Web.Results;

/// <summary>Exports of a view of the customer table (a tier, a churn level, a search, VIPs, the win-back list) hold exactly its customers.</summary>
[Trait("Category", "Integration")]
public sealed class SegmentExportTests(PortalWebFactory factory) : IClassFixture<PortalWebFactory>
{
    private const int Customers = 300;

    /// <summary>The columns email and ads tools read, in the order docs/using.md documents; the money columns' currency last.</summary>
    private static readonly string[] ToolColumns =
    [
        "email", "customer_id", "name", "country", "predicted_clv", "historic_clv", "total_clv", "churn_probability", "churn_risk",
        "expected_next_order", "predicted_orders", "average_order_value", "first_order", "last_order", "orders", "average_days_between_orders", "value_tier",
        "currency",
    ];

    [Theory]
    [InlineData("tier=top1-5")]
    [InlineData("churn=high")]
    [InlineData("list=vip")]
    [InlineData("list=win-back")]
    [InlineData("q=c00001")]
    [InlineData("list=vip&churn=low")]
    [InlineData("tier=bottom50&churn=medium&q=C0002")]
    public async Task ExportCsv_FilteredView_HoldsExactlyThatViewsCustomers(string query)
    {
        var (client, uploadId, rows) = await SeedAsync();

        var csv = await CsvAsync(client, $"/analyses/{uploadId}/export/csv?{query}");

        var expected = rows.Where(Predicate(query)).Select(c => c.CustomerId).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, csv.Rows.Select(r => r["customer_id"]).Order());
        // Most valuable first, as every export.
        Assert.Equal(csv.Rows.Select(r => double.Parse(r["predicted_clv"], System.Globalization.CultureInfo.InvariantCulture)).OrderDescending(), csv.Rows.Select(r => double.Parse(r["predicted_clv"], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task ExportCsv_WinBackList_NamesTheFileAndFillsTheToolColumnsFromEachCustomer()
    {
        var (client, uploadId, rows) = await SeedAsync();

        using var response = await client.GetAsync($"/analyses/{uploadId}/export/csv?list=win-back");
        var csv = Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal($"clv-results-{uploadId:N}-win-back.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal(ToolColumns, csv.Header);
        Assert.DoesNotContain(csv.Header, h => h is "t" or "bgnbd_gammagamma_clv" or "headline_clv" or "recency" or "frequency");
        foreach (var row in csv.Rows)
        {
            var c = rows.Single(r => r.CustomerId == row["customer_id"]);
            Assert.Equal(c.Email ?? "", row["email"]);
            Assert.Equal(c.Country ?? "", row["country"]);
            Assert.Equal(Math.Round(c.TotalRevenue, 2), Number(row["historic_clv"]), 6);
            Assert.Equal(Math.Round(c.TotalRevenue + c.HeadlineClv, 2), Number(row["total_clv"]), 6);
            Assert.Equal(Math.Round(c.TotalRevenue / c.Orders, 2), Number(row["average_order_value"]), 6);
            Assert.Equal("high", row["churn_risk"]);
            Assert.Equal(c.FirstPurchase.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), row["first_order"]);
            Assert.Equal(c.LastPurchase.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), row["last_order"]);
            // High churn risk: no next order is promised.
            Assert.Equal("", row["expected_next_order"]);
        }
    }

    [Fact]
    public async Task ExportXlsx_VipList_HoldsTheTopFivePercentWithToolHeaders()
    {
        var (client, uploadId, rows) = await SeedAsync();

        using var response = await client.GetAsync($"/analyses/{uploadId}/export/xlsx?list=vip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"clv-results-{uploadId:N}-vip.xlsx", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var workbook = new XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var sheet = workbook.Worksheet("Customers");
        Assert.Equal(ToolColumns, sheet.Row(1).CellsUsed().Select(c => c.GetString()));
        var ids = Enumerable.Range(2, sheet.LastRowUsed().RowNumber() - 1).Select(r => sheet.Cell(r, 2).GetString()).Order();
        // Top 5% of 300 customers by predicted CLV (no ties in the sample): 15.
        Assert.Equal(rows.OrderByDescending(c => c.HeadlineClv).Take(15).Select(c => c.CustomerId).Order(), ids);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task Export_AnotherOwnersFilteredView_Answers404(string format)
    {
        var (_, uploadId, _) = await SeedAsync();
        var (stranger, _) = await ResultsTestData.NewUserAsync(factory, "stranger");

        using var response = await stranger.GetAsync($"/analyses/{uploadId}/export/{format}?list=win-back");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Export_UnknownList_Answers400NamingItAndTheChoices()
    {
        var (client, uploadId, _) = await SeedAsync();

        using var response = await client.GetAsync($"/analyses/{uploadId}/export/csv?list=whales");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"whales\"", text, StringComparison.Ordinal);
        Assert.Contains("vip or win-back", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_FormulasInContactFields_AreNeutralisedInBothFormats()
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 20);
        var db = factory.Services.GetRequiredService<PortalDb>();
        var evilCustomer = OneOrderCustomer(uploadId, ownerId, "EVIL1", clv: 5_000_000, ValueTier.Top1);
        evilCustomer.Email = "=HYPERLINK(\"http://evil.example\",\"x\")";
        evilCustomer.Name = "+SUM(A1:A9)";
        evilCustomer.Country = "@cmd";
        await db.CustomerResults.InsertOneAsync(evilCustomer);

        var csv = await CsvAsync(client, $"/analyses/{uploadId}/export/csv?list=vip");
        using var response = await client.GetAsync($"/analyses/{uploadId}/export/xlsx?list=vip");
        using var workbook = new XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));

        var evil = csv.Rows.Single(r => r["customer_id"] == "EVIL1");
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"x\")", evil["email"]);
        Assert.Equal("'+SUM(A1:A9)", evil["name"]);
        Assert.Equal("'@cmd", evil["country"]);
        var sheet = workbook.Worksheet("Customers");
        Assert.Equal("EVIL1", sheet.Cell(2, 2).GetString());
        foreach (var col in new[] { 1, 3, 4 })
        {
            Assert.False(sheet.Cell(2, col).HasFormula);
            Assert.StartsWith("'", sheet.Cell(2, col).GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Customers_WinBackList_ShowsOnlyThoseAndItsExportButtonsCarryTheList()
    {
        var (client, uploadId, rows) = await SeedAsync();
        var winBack = rows.Where(Predicate("list=win-back")).ToList();

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers?list=win-back");

        var ids = page.QuerySelectorAll("table[data-table=customers] tbody tr td:first-child a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(winBack.OrderByDescending(c => c.HeadlineClv).Take(50).Select(c => c.CustomerId), ids);
        Assert.Equal(winBack.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), page.QuerySelector("[data-total]")!.GetAttribute("data-total"));
        Assert.Contains("list=win-back", page.QuerySelector("a[data-export=csv]")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Contains("list=win-back", page.QuerySelector("a[data-export=xlsx]")!.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Customers_ListTabs_CountTheCustomersEachListHolds()
    {
        var (client, uploadId, rows) = await SeedAsync();

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers");

        int Count(string selector) => int.Parse(page.QuerySelector($"{selector} .count")!.TextContent.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(rows.Count(Predicate("list=vip")), Count("a[data-list=vip]"));
        Assert.Equal(rows.Count(Predicate("list=win-back")), Count("a[data-list=win-back]"));
        Assert.Equal(rows.Count(Predicate("churn=high")), Count("a[data-list=churn-high]"));
        Assert.NotEqual(0, rows.Count(Predicate("churn=high")));
    }

    [Fact]
    public async Task Customers_SearchByEmailPrefix_FindsThatCustomerInTheTableAndItsExport()
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 20);
        var db = factory.Services.GetRequiredService<PortalDb>();
        foreach (var (id, email) in new[] { ("Z901", "anna.smith@shop.example"), ("Z902", "ben@shop.example"), ("Z903", "anna.smith.old@shop.example") })
        {
            var customer = OneOrderCustomer(uploadId, ownerId, id, clv: 10, ValueTier.Bottom50);
            customer.Email = email;
            await db.CustomerResults.InsertOneAsync(customer);
        }

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers?q=ANNA.smith");
        var ids = page.QuerySelectorAll("table[data-table=customers] tbody tr td:first-child a").Select(a => a.TextContent.Trim()).Order(StringComparer.Ordinal);
        Assert.Equal(["Z901", "Z903"], ids);
        var csv = await CsvAsync(client, $"/analyses/{uploadId}/export/csv?q=ben%40");
        Assert.Equal("Z902", Assert.Single(csv.Rows)["customer_id"]);
    }

    [Fact]
    public async Task Customers_UnknownTierInTheLink_SaysSoAndShowsEveryone()
    {
        var (client, uploadId, _) = await SeedAsync();

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers?tier=gold");

        Assert.Contains("no value tier \"gold\"", page.QuerySelector("[data-note=filter-problem]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(Customers.ToString(System.Globalization.CultureInfo.InvariantCulture), page.QuerySelector("[data-total]")!.GetAttribute("data-total"));
    }

    /// <summary>Which seeded customers a query's filter holds, worked out from the documents' fields and the definitions in docs/using.md.</summary>
    private Func<CustomerResultDocument, bool> Predicate(string query)
    {
        var tests = new List<Func<CustomerResultDocument, bool>>();
        foreach (var part in query.Split('&'))
        {
            var (key, value) = (part.Split('=')[0], part.Split('=')[1]);
            tests.Add(key switch
            {
                "tier" => value switch
                {
                    "top1-5" => c => c.Tier == ValueTier.Top1To5,
                    "bottom50" => c => c.Tier == ValueTier.Bottom50,
                    _ => throw new ArgumentException(value),
                },
                "churn" => c => string.Equals(c.ChurnLevel?.ToString(), value, StringComparison.OrdinalIgnoreCase),
                "list" when value == "vip" => c => c.Tier is ValueTier.Top1 or ValueTier.Top1To5,
                "list" when value == "win-back" => WinBack,
                "q" => c => c.CustomerId.StartsWith(value, StringComparison.OrdinalIgnoreCase) || (c.Email?.StartsWith(value, StringComparison.OrdinalIgnoreCase) ?? false),
                _ => throw new ArgumentException(part),
            });
        }

        return c => tests.All(t => t(c));
    }

    private List<CustomerResultDocument> _rows = [];

    // High churn risk and, revenue so far in the top quarter (ties in), or predicted CLV in the top quarter.
    private bool WinBack(CustomerResultDocument c)
    {
        var threshold = _rows.Select(r => r.TotalRevenue).OrderDescending().ElementAt((int)Math.Ceiling(_rows.Count * 0.25) - 1);
        var topQuarterByClv = _rows.OrderByDescending(r => r.HeadlineClv).Take(_rows.Count / 4).Any(r => r.CustomerId == c.CustomerId);
        return c.ChurnLevel == ChurnLevel.High && (c.TotalRevenue >= threshold || topQuarterByClv);
    }

    /// <summary>A customer of one 10.00 order on 1 Jan 2025, with the predicted value and tier given.</summary>
    private static CustomerResultDocument OneOrderCustomer(Guid uploadId, string ownerId, string customerId, double clv, ValueTier tier) => new()
    {
        UploadId = uploadId,
        OwnerId = ownerId,
        CustomerId = customerId,
        HeadlineClv = clv,
        TotalRevenue = 10,
        Orders = 1,
        Tier = tier,
        FirstPurchase = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        LastPurchase = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc),
    };

    private async Task<(HttpClient Client, Guid UploadId, List<CustomerResultDocument> Rows)> SeedAsync()
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var (uploadId, rows) = await ResultsTestData.SeedAsync(factory, ownerId, Customers);
        _rows = rows;
        return (client, uploadId, rows);
    }

    private static async Task<Csv> CsvAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Parse(await response.Content.ReadAsStringAsync());
    }

    private static double Number(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Csv(string[] Header, List<Dictionary<string, string>> Rows);

    /// <summary>RFC 4180: quoted fields may hold commas and doubled quotes.</summary>
    private static Csv Parse(string text)
    {
        var lines = text.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = Fields(lines[0]);
        var rows = lines.Skip(1).Select(l => header.Zip(Fields(l)).ToDictionary(p => p.First, p => p.Second)).ToList();
        return new Csv(header, rows);
    }

    private static string[] Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(ch);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }
}
