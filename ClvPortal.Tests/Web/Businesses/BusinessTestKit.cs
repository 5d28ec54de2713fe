using System.Globalization;
using System.Text;
using ClvPortal.Core.Analytics;
using ClvPortal.Core.Models;
using ClvPortal.Web.Data;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Businesses;

/// <summary>Businesses, hand-made track records and the two files of one shop (an earlier export and a later one).</summary>
internal static class BusinessTestKit
{
    public static Dictionary<string, string> NewBusiness(string name, int horizonMonths = 12) =>
        new() { ["BusinessId"] = "new", ["BusinessName"] = name, ["HorizonMonths"] = horizonMonths.ToString(CultureInfo.InvariantCulture) };

    public static Dictionary<string, string> Into(Guid businessId, int horizonMonths = 12) =>
        new() { ["BusinessId"] = businessId.ToString(), ["HorizonMonths"] = horizonMonths.ToString(CultureInfo.InvariantCulture) };

    public static async Task<UploadDocument> UploadAsync(IMongoDatabase database, Guid uploadId) =>
        await new PortalDb(database).Uploads.Find(u => u.Id == uploadId).FirstAsync();

    /// <summary>A track record with round numbers, stored as the job would store it, for tests about who sees and deletes it.</summary>
    public static async Task<TrackRecordDocument> StoreRecordAsync(IMongoDatabase database, string ownerId, Guid businessId, Guid laterId, Guid earlierId)
    {
        var record = new TrackRecord(
            new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 31), new DateOnly(2024, 12, 31), 0.25, 100, 1000, 920,
            [new TrackRecordGroup("Top 1%", 1, 100, 80, 1)], [new TrackRecordGroup("Decile 1", 10, 500, 460, 7)],
            new ChurnOutcome([new ChurnLevelOutcome(ChurnLevel.High, 40, 0.9, 3)], 0.71, 0.5, 0.55),
            [new TopCustomerOutcome("C00001", 1, 100, 80, 2)], 7, 321);
        var document = new TrackRecordDocument
        {
            Id = TrackRecordDocument.KeyOf(laterId, earlierId),
            OwnerId = ownerId,
            BusinessId = businessId,
            LaterUploadId = laterId,
            EarlierUploadId = earlierId,
            Record = record,
            ScoredAt = DateTime.UtcNow,
        };
        await new PortalDb(database).TrackRecords.InsertOneAsync(document);
        return document;
    }

    /// <summary>One row of a shop's export.</summary>
    public sealed record Row(string CustomerId, DateOnly Date, double Amount);

    /// <summary>
    /// A shop's transactions: <paramref name="customers"/> customers buying 1 to 6 times in 2023 (one of them on
    /// 31 Dec 2023, the earlier file's last day); in 2024 about half of them buy again from 2 Jan to 20 Mar and some
    /// from 10 Apr to 30 Jun; <paramref name="newCustomers"/> customers first buy from 2 Jan to 20 Mar 2024. No purchase
    /// falls near the end of a three-month horizon from 31 Dec 2023 (21 Mar–9 Apr), so the covered period's edge
    /// decides nothing.
    /// </summary>
    public static List<Row> Shop(int customers, int newCustomers, int seed = 7)
    {
        var random = new Random(seed);
        var rows = new List<Row>();
        var start = new DateOnly(2023, 1, 1);
        double Amount() => Math.Round(10 + (random.NextDouble() * 190), 2);
        for (var c = 1; c <= customers; c++)
        {
            var id = $"E{c:D4}";
            var orders = 1 + random.Next(6);
            for (var o = 0; o < orders; o++)
            {
                rows.Add(new Row(id, start.AddDays(random.Next(364)), Amount()));
            }

            if (c == 1)
            {
                rows.Add(new Row(id, new DateOnly(2023, 12, 31), Amount()));
            }

            if (random.NextDouble() < 0.5)
            {
                for (var o = random.Next(1, 4); o > 0; o--)
                {
                    rows.Add(new Row(id, new DateOnly(2024, 1, 2).AddDays(random.Next(78)), Amount()));
                }
            }

            if (random.NextDouble() < 0.3)
            {
                rows.Add(new Row(id, new DateOnly(2024, 4, 10).AddDays(random.Next(81)), Amount()));
            }
        }

        for (var c = 1; c <= newCustomers; c++)
        {
            rows.Add(new Row($"N{c:D4}", new DateOnly(2024, 1, 2).AddDays(random.Next(78)), Amount()));
        }

        // The later export ends on 30 Jun 2024 whoever buys last.
        rows.Add(new Row("E0002", new DateOnly(2024, 6, 30), Amount()));
        return rows;
    }

    public static byte[] Csv(IEnumerable<Row> rows)
    {
        var text = new StringBuilder("customer_id,order_date,amount\n");
        foreach (var row in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{row.CustomerId},{row.Date:yyyy-MM-dd},{row.Amount:0.00}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
