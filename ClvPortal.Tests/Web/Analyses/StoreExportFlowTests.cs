using System.Globalization;
using System.Text;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using ClvPortal.Tests.Core.Ingest;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using MongoDB.Driver;
using static ClvPortal.Tests.Core.Ingest.StoreExportFiles;

namespace ClvPortal.Tests.Web.Analyses;

/// <summary>A shop's own export, uploaded as it comes out of the shop, analysed with the store's rules and shown in its currency.</summary>
[Trait("Category", "Integration")]
[Collection(AnalysesCollection.Name)]
public sealed class StoreExportFlowTests
{
    /// <summary>
    /// 300 customers over two years, 1 to 4 orders each of 1 to 3 line items; one order in 12 voided, one in 8 partly
    /// refunded, one customer in 10 without an email (named by phone). Deterministic for the seed.
    /// </summary>
    internal static List<StoreExportFiles.ShopifyOrder> Orders(int seed = 7)
    {
        var random = new Random(seed);
        var orders = new List<StoreExportFiles.ShopifyOrder>();
        var start = new DateTime(2023, 1, 1, 9, 0, 0);
        for (var c = 1; c <= 300; c++)
        {
            var email = c % 10 == 0 ? "" : $"customer{c:D3}@example.com";
            var phone = $"+44 7700 9{c:D5}";
            var count = 1 + random.Next(4);
            for (var o = 0; o < count; o++)
            {
                var total = Math.Round(15 + (random.NextDouble() * 185), 2);
                var status = random.Next(12) == 0 ? "voided" : random.Next(8) == 0 ? "partially_refunded" : "paid";
                var refunded = status == "partially_refunded" ? Math.Round(total * 0.25, 2) : 0;
                var created = start.AddDays(random.Next(700)).AddMinutes(random.Next(600));
                orders.Add(new($"#{1000 + orders.Count}", email, status, created.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " +0000",
                    total, refunded, phone, $"Customer {c}", 1 + random.Next(3)));
            }
        }

        // Shopify lists orders newest first.
        return [.. orders.OrderByDescending(o => o.CreatedAt, StringComparer.Ordinal)];
    }

    [Fact]
    public async Task Upload_ShopifyOrdersExportInPounds_RevenueIsTotalLessRefundsWithoutVoidedAndShownInPounds()
    {
        var orders = Orders();
        // Shopify's rule, written out: every order but the voided ones, Total - Refunded Amount.
        var paid = orders.Where(o => o.Status != "voided").ToList();
        var expectedRevenue = paid.Sum(o => o.Total - o.Refunded);
        var expectedCustomers = paid.Select(o => o.Email.Length > 0 ? o.Email : o.Phone).Distinct().Count();
        await using var factory = new PortalWebFactory();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("shopify"));

        var id = await AnalysesTestKit.UploadOkAsync(client, "orders_export.csv", Encoding.UTF8.GetBytes(ShopifyCsv(orders, currency: "GBP")));

        var upload = await AnalysesTestKit.WaitForFinishAsync(factory, id);
        Assert.True(upload.Status == UploadStatus.Succeeded, $"{upload.Status}: {upload.Error} {upload.ErrorWhatToDo}");
        Assert.Equal(expectedCustomers, upload.Customers);
        Assert.Equal(expectedRevenue, upload.TotalRevenue!.Value, 6);
        Assert.Equal("GBP", upload.Currency);
        var analysis = await new PortalDb(factory.Database).AnalysisResults.Find(a => a.Id == id).FirstAsync();
        Assert.Equal(("Shopify orders export", "GBP"), (analysis.File.Export, analysis.File.Currency));

        var results = new HtmlParser().ParseDocument(await client.GetStringAsync(AnalysisLinks.Results(id)));
        Assert.Equal("£" + expectedRevenue.ToString("N0", CultureInfo.InvariantCulture), results.QuerySelector("[data-kpi='revenue']")!.TextContent.Trim());
        Assert.StartsWith("£", results.QuerySelector("[data-kpi='clv-average']")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("$", results.QuerySelector(".kpis")!.TextContent, StringComparison.Ordinal);
        // Orders, not the export's rows: an order of three line items is one transaction.
        Assert.Equal($"{paid.Count:N0} transactions analysed", results.QuerySelector("[data-kpi='transactions']")!.TextContent.Trim());
        // The plain sentence on top speaks in the file's currency too: "… to spend about £X over the next 12 months".
        var sentence = results.QuerySelector("[data-headline]")!.TextContent;
        Assert.Matches(@"to spend (about )?£\d", sentence);
        Assert.DoesNotContain("$", sentence, StringComparison.Ordinal);
        Assert.Contains("\"currency\":\"\\u00A3\"", results.QuerySelector("#dashboard-data")!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("GBP", results.QuerySelector("[data-file='currency']")!.TextContent, StringComparison.Ordinal);

        var export = (await client.GetStringAsync($"/analyses/{id}/export/csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",currency", export[0], StringComparison.Ordinal);
        Assert.All(export.Skip(1), line => Assert.EndsWith(",GBP", line, StringComparison.Ordinal));

        var list = new HtmlParser().ParseDocument(await client.GetStringAsync(AnalysisLinks.Index));
        Assert.StartsWith("£", list.QuerySelector($"tr[data-upload-id='{id}'] td:nth-child(6)")!.TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckThenStart_ShopifyOrdersExport_ShowsTheExportsColumnsAndKeepsItsRules()
    {
        var orders = Orders(seed: 11);
        var paid = orders.Where(o => o.Status != "voided").ToList();
        var expectedRevenue = paid.Sum(o => o.Total - o.Refunded);
        var expectedCustomers = paid.Select(o => o.Email.Length > 0 ? o.Email : o.Phone).Distinct().Count();
        await using var factory = new PortalWebFactory();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("shopcheck"));
        using var uploaded = await AnalysesTestKit.UploadAsync(
            client, "orders_export.csv", Encoding.UTF8.GetBytes(ShopifyCsv(orders, currency: "GBP")), new Dictionary<string, string> { [UploadForm.CheckField] = "true" });
        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        var id = (await uploaded.Content.ReadFromJsonAsync<UploadAccepted>())!.Id;

        var check = await PortalWebFactory.GetPageAsync(client, AnalysisLinks.Check(id));

        Assert.Contains("Shopify orders export", check.QuerySelector("#check-export")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("GBP", check.QuerySelector("#currency-reason")!.TextContent, StringComparison.Ordinal);
        // The order's total is its amount; a line item's quantity and price are not chosen.
        var chosen = check.QuerySelectorAll("select.role-select").Cast<IHtmlSelectElement>()
            .ToDictionary(s => s.Name!, s => s.SelectedOptions.FirstOrDefault()?.Value ?? "");
        Assert.Equal(("Email", "Created at", "Total", "Name"), (chosen["Input.CustomerId"], chosen["Input.Date"], chosen["Input.Amount"], chosen["Input.InvoiceId"]));
        Assert.Equal(("", ""), (chosen["Input.Quantity"], chosen["Input.UnitPrice"]));

        // Started as shown: the confirmed columns are read as chosen, and the export's own rules still apply.
        using var start = await PortalWebFactory.PostFormAsync(
            client, AnalysisLinks.New, new Dictionary<string, string>(chosen) { ["Input.DateOrder"] = "Auto" }, AnalysisLinks.Check(id));
        Assert.Equal(AnalysisLinks.Status(id), start.Headers.Location?.ToString());

        var upload = await AnalysesTestKit.WaitForFinishAsync(factory, id);
        Assert.True(upload.Status == UploadStatus.Succeeded, $"{upload.Status}: {upload.Error} {upload.ErrorWhatToDo}");
        Assert.True(upload.Settings.ColumnsConfirmed);
        Assert.Equal(expectedCustomers, upload.Customers);
        Assert.Equal(expectedRevenue, upload.TotalRevenue!.Value, 6);
        Assert.Equal("GBP", upload.Currency);
    }
}
