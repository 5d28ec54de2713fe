using System.Globalization;
using System.Text;
using ClvPortal.Tests.Web.Analyses;
using ClvPortal.Web.Data;

namespace ClvPortal.Tests.Web.Results;

/// <summary>
/// A small shop export analysed by the real job: the customer page and the export show the fields marketing tools show,
/// worked out by hand from the file, and count days to the file's real last day.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CustomerFieldsTests(PortalWebFactory factory) : IClassFixture<PortalWebFactory>
{
    /// <summary>
    /// Anna (A1) buys on 5 Jan (two orders), 20 Jan and 5 Mar 2024 and returns 10.00 on 10 Mar; her address changed in
    /// March. 150 other customers buy from January 2023 to February 2024 so the models have something to learn from; the last
    /// transaction in the file is on 31 Mar 2024, not at a month's or a week's end of anyone's.
    /// </summary>
    private static byte[] ShopCsv()
    {
        var csv = new StringBuilder("Order ID,Order Date,Customer ID,Customer Email,Customer Name,Country,Amount\r\n");
        csv.Append("1001,2024-01-05,A1,anna@old.example,Anna Jones,United Kingdom,100.00\r\n");
        csv.Append("1002,2024-01-05,A1,anna@old.example,Anna Jones,United Kingdom,20.00\r\n");
        csv.Append("1003,2024-01-20,A1,anna@old.example,Anna Jones,United Kingdom,50.00\r\n");
        csv.Append("1004,2024-03-05,A1,anna@new.example,Anna Smith,France,30.00\r\n");
        csv.Append("1005,2024-03-10,A1,,,,-10.00\r\n");
        var random = new Random(3);
        var order = 2000;
        for (var c = 1; c <= 150; c++)
        {
            for (var o = random.Next(1, 6); o > 0; o--)
            {
                var day = new DateOnly(2023, 1, 1).AddDays(random.Next(0, 420)); // up to 24 Feb 2024
                csv.Append(CultureInfo.InvariantCulture, $"{order++},{day:yyyy-MM-dd},K{c:D4},k{c}@example.com,Customer {c},Germany,{random.Next(1000, 9000) / 100.0:0.00}\r\n");
            }
        }

        csv.Append("9999,2024-03-31,C3,cleo@example.com,Cleo Park,Spain,15.00\r\n");
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    [Fact]
    public async Task CustomerPage_AnalysedShopExport_ShowsTheHandWorkedFieldsAndDaysToTheRealLastDay()
    {
        var (client, uploadId) = await AnalyseAsync();

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers/A1");

        string Field(string name) => page.QuerySelector($"[data-field={name}]")!.TextContent.Trim();
        Assert.Equal("anna@new.example", Field("email"));
        Assert.Equal("Anna Smith", Field("name"));
        Assert.Equal("France", Field("country"));
        Assert.Equal("$190.00", page.QuerySelector("[data-kpi=historic]")!.TextContent.Trim()); // 100 + 20 + 50 + 30 - 10
        Assert.Equal("$47.50", Field("aov")); // 190 over 4 orders
        Assert.Equal("30.0", Field("gap")); // 5 Jan to 5 Mar: 60 days over 2 gaps between 3 purchase days
        Assert.Equal("5 Jan 2024", Field("first-order"));
        Assert.Equal("5 Mar 2024", Field("last-order"));
        // 5 Mar to 31 Mar: 26 days, to the last transaction in the file (the month's end would say the same here, so see below).
        Assert.StartsWith("26 days", Field("days-since-last"), StringComparison.Ordinal);
        Assert.Contains("31 Mar 2024", Field("days-since-last"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerPage_LastDayMidMonth_CountsToThatDayNotTheMonthsEnd()
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var csv = Encoding.UTF8.GetString(ShopCsv()).Replace("9999,2024-03-31,", "9999,2024-03-06,", StringComparison.Ordinal);
        var uploadId = await AnalysesTestKit.UploadOkAsync(client, "shop.csv", Encoding.UTF8.GetBytes(csv));
        var upload = await AnalysesTestKit.WaitForFinishAsync(factory, uploadId);
        Assert.True(upload.Status == UploadStatus.Succeeded, $"{upload.Status}: {upload.Error}");
        Assert.Equal(ownerId, upload.OwnerId);

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers/A1");

        // The file ends on 10 Mar (Anna's return); the last purchase was on 5 Mar: 5 days, not 26 to the month's end.
        var text = page.QuerySelector("[data-field=days-since-last]")!.TextContent.Trim();
        Assert.StartsWith("5 days", text, StringComparison.Ordinal);
        Assert.Contains("10 Mar 2024", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportCsv_AnalysedShopExport_HoldsTheHandWorkedFieldsUnderToolNames()
    {
        var (client, uploadId) = await AnalyseAsync();

        var text = await client.GetStringAsync($"/analyses/{uploadId}/export/csv?q=A1");

        var lines = text.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var row = lines[0].Split(',').Zip(lines[1].Split(',')).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal("anna@new.example", row["email"]);
        Assert.Equal("A1", row["customer_id"]);
        Assert.Equal("Anna Smith", row["name"]);
        Assert.Equal("France", row["country"]);
        Assert.Equal("190", row["historic_clv"]);
        Assert.Equal("47.5", row["average_order_value"]);
        Assert.Equal("30", row["average_days_between_orders"]);
        Assert.Equal("4", row["orders"]);
        Assert.Equal("2024-01-05", row["first_order"]);
        Assert.Equal("2024-03-05", row["last_order"]);
        var predicted = double.Parse(row["predicted_clv"], CultureInfo.InvariantCulture);
        Assert.Equal(Math.Round(190 + predicted, 2), double.Parse(row["total_clv"], CultureInfo.InvariantCulture), 6);
    }

    private async Task<(HttpClient Client, Guid UploadId)> AnalyseAsync()
    {
        var (client, _) = await ResultsTestData.NewUserAsync(factory);
        var uploadId = await AnalysesTestKit.UploadOkAsync(client, "shop.csv", ShopCsv());
        var upload = await AnalysesTestKit.WaitForFinishAsync(factory, uploadId);
        Assert.True(upload.Status == UploadStatus.Succeeded, $"{upload.Status}: {upload.Error}");
        return (client, uploadId);
    }
}
