using System.Net;
using ClvPortal.Tests.Web.Analyses;
using ClvPortal.Tests.Web.Results;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Businesses;
using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Businesses;

/// <summary>
/// Two files of one shop through the real upload endpoint and job: the later analysis stores the earlier one's
/// track record, its pages show it, and deleting the earlier analysis drops it. The numbers are checked against the
/// rows written to the files (a LINQ sum), never against the scorer's own arithmetic.
/// </summary>
[Collection(AnalysesCollection.Name)]
[Trait("Category", "Integration")]
public sealed class TrackRecordPageTests
{
    private static readonly DateOnly EarlierEnd = new(2023, 12, 31);

    /// <summary>Sums of the same amounts in another order differ in the last bits: half a cent tells a real difference.</summary>
    private const double Cent = 0.005;

    [Fact]
    public async Task Job_TwoFilesOfOneBusiness_StoresWhatTheEarlierCustomersReallySpent()
    {
        await using var factory = new PortalWebFactory();
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory, "track");
        var rows = BusinessTestKit.Shop(customers: 300, newCustomers: 25);
        var earlierRows = rows.Where(r => r.Date <= EarlierEnd).ToList();

        var earlierId = await AnalysesTestKit.UploadOkAsync(client, "orders-2023.csv", BusinessTestKit.Csv(earlierRows), BusinessTestKit.NewBusiness("Corner Shop", horizonMonths: 3));
        Assert.Equal(UploadStatus.Succeeded, (await AnalysesTestKit.WaitForFinishAsync(factory, earlierId)).Status);
        var businessId = (await BusinessTestKit.UploadAsync(factory.Database, earlierId)).BusinessId!.Value;
        // A full re-export: 2023 again, and the first half of 2024.
        var laterId = await AnalysesTestKit.UploadOkAsync(client, "orders-to-june-2024.csv", BusinessTestKit.Csv(rows), BusinessTestKit.Into(businessId, horizonMonths: 3));
        Assert.Equal(UploadStatus.Succeeded, (await AnalysesTestKit.WaitForFinishAsync(factory, laterId)).Status);

        var db = new PortalDb(factory.Database);
        var document = await db.TrackRecords.Find(t => t.LaterUploadId == laterId && t.EarlierUploadId == earlierId).SingleAsync();
        var record = document.Record;
        var earlierIds = earlierRows.Select(r => r.CustomerId).ToHashSet(StringComparer.Ordinal);
        var predictions = await db.CustomerResults.Find(c => c.UploadId == earlierId).ToListAsync();
        // Three months from 31 Dec 2023 (91.3 days): the later file, to 30 Jun 2024, covers all of them.
        Assert.InRange(record.HorizonEnd, new DateOnly(2024, 3, 30), new DateOnly(2024, 4, 1));
        Assert.Equal(1, record.CoveredShare, 9);
        var actual = rows.Where(r => earlierIds.Contains(r.CustomerId) && r.Date > EarlierEnd && r.Date <= record.HorizonEnd).Sum(r => r.Amount);
        var newRows = rows.Where(r => !earlierIds.Contains(r.CustomerId)).ToList();

        Assert.Equal(ownerId, document.OwnerId);
        Assert.Equal(businessId, document.BusinessId);
        Assert.Equal(earlierIds.Count, record.Customers);
        Assert.Equal(actual, record.Actual, Cent);
        Assert.Equal(predictions.Sum(p => p.HeadlineClv), record.Predicted, Cent);
        Assert.Equal(newRows.Select(r => r.CustomerId).Distinct().Count(), record.NewCustomers);
        Assert.Equal(newRows.Sum(r => r.Amount), record.NewCustomerRevenue, Cent);
        // The first of the top customers is one the earlier analysis valued highest (several may share that value).
        var first = record.TopCustomers[0];
        var highest = predictions.Max(p => p.HeadlineClv);
        Assert.Contains(first.CustomerId, predictions.Where(p => p.HeadlineClv >= highest - 1e-9).Select(p => p.CustomerId));
        Assert.Equal(rows.Where(r => r.CustomerId == first.CustomerId && r.Date > EarlierEnd && r.Date <= record.HorizonEnd).Sum(r => r.Amount), first.Actual, Cent);

        // The pages say it in words, in the analysis's money.
        var money = NumberFormats.ForCurrency(null);
        var page = await PortalWebFactory.GetPageAsync(client, TrackRecordLinks.Page(laterId, earlierId));
        var headline = page.QuerySelector("[data-headline]")!.TextContent;
        Assert.StartsWith($"On 31 Dec 2023 we expected {money.Money(record.Predicted)} from these {money.Count(earlierIds.Count)} customers over the 3 months to ", headline, StringComparison.Ordinal);
        Assert.Contains($"they spent {money.Money(actual)}", headline, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("[data-pro-rata]"));
        Assert.Contains(money.Count(newRows.Select(r => r.CustomerId).Distinct().Count()), page.QuerySelector("[data-new-customers]")!.TextContent, StringComparison.Ordinal);
        var laterResults = await client.GetStringAsync($"/analyses/{laterId}/results");
        Assert.Contains($"href=\"{TrackRecordLinks.Page(laterId, earlierId)}\"", laterResults, StringComparison.Ordinal);
        var businessPage = await PortalWebFactory.GetPageAsync(client, TrackRecordLinks.Business(businessId));
        Assert.Equal([earlierId.ToString(), laterId.ToString()], businessPage.QuerySelectorAll("#business-analyses tbody tr").Select(r => r.GetAttribute("data-upload-id")));
        Assert.NotNull(businessPage.QuerySelector($"tr[data-upload-id='{earlierId}'] [data-checked] a[href='{TrackRecordLinks.Page(laterId, earlierId)}']"));

        // Deleting the earlier analysis drops its track record, and its page goes with it.
        using var delete = await PortalWebFactory.PostFormAsync(
            client, AnalysisLinks.Index, new Dictionary<string, string> { ["id"] = earlierId.ToString() }, AnalysisLinks.Index + "?handler=Delete");
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.Equal(0, await db.TrackRecords.CountDocumentsAsync(t => t.EarlierUploadId == earlierId));
        using var gone = await client.GetAsync(TrackRecordLinks.Page(laterId, earlierId));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Job_LaterFileCoveringPartOfTheHorizon_ComparesProRataAndSaysSo()
    {
        await using var factory = new PortalWebFactory();
        var (client, _) = await ResultsTestData.NewUserAsync(factory, "prorata");
        var rows = BusinessTestKit.Shop(customers: 300, newCustomers: 10, seed: 11);
        var earlierRows = rows.Where(r => r.Date <= EarlierEnd).ToList();
        // Only the new period, and only its first three months of the twelve predicted.
        var laterEnd = new DateOnly(2024, 3, 31);
        var laterRows = rows.Where(r => r.Date > EarlierEnd && r.Date <= laterEnd).Append(new BusinessTestKit.Row("E0003", laterEnd, 20)).ToList();

        var earlierId = await AnalysesTestKit.UploadOkAsync(client, "2023.csv", BusinessTestKit.Csv(earlierRows), BusinessTestKit.NewBusiness("Corner Shop", horizonMonths: 12));
        await AnalysesTestKit.WaitForFinishAsync(factory, earlierId);
        var laterId = await AnalysesTestKit.UploadOkAsync(client, "q1-2024.csv", BusinessTestKit.Csv(laterRows), BusinessTestKit.NewBusiness("corner shop", horizonMonths: 12));
        Assert.Equal(UploadStatus.Succeeded, (await AnalysesTestKit.WaitForFinishAsync(factory, laterId)).Status);

        var record = (await new PortalDb(factory.Database).TrackRecords.Find(t => t.LaterUploadId == laterId).SingleAsync()).Record;
        var earlierIds = earlierRows.Select(r => r.CustomerId).ToHashSet(StringComparer.Ordinal);
        var actual = laterRows.Where(r => earlierIds.Contains(r.CustomerId)).Sum(r => r.Amount);

        Assert.True(record.Partial);
        Assert.Equal(laterEnd, record.To);
        Assert.InRange(record.CoveredShare, 0.24, 0.26);
        Assert.Equal(actual, record.Actual, Cent);
        var page = await PortalWebFactory.GetPageAsync(client, TrackRecordLinks.Page(laterId, earlierId));
        Assert.StartsWith("Pro rata: your newer file covers 3 of the 12 months we predicted", page.QuerySelector("[data-pro-rata]")!.TextContent, StringComparison.Ordinal);
    }
}
