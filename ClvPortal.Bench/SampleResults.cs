using ClvPortal.Core.Analytics;
using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Features;
using ClvPortal.Core.Ingest;
using ClvPortal.Core.Models;
using ClvPortal.Web.Data;
using MongoDB.Driver;

namespace ClvPortal.Bench;

/// <summary>
/// A finished analysis of made-up customers, shaped like the analysis job's output: the bench-results command
/// times the results page on it, and tests and browser tests seed it. Deterministic for a given seed.
/// </summary>
public static class SampleResults
{
    public static UploadDocument Upload(Guid uploadId, string ownerId, int customers, double totalRevenue, double clvTotal) => new()
    {
        Id = uploadId,
        OwnerId = ownerId,
        FileName = "sample-transactions.csv",
        SizeBytes = customers * 240L,
        Status = UploadStatus.Succeeded,
        Stage = "Done",
        Percent = 100,
        CreatedAt = new DateTime(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc),
        FinishedAt = new DateTime(2026, 1, 5, 9, 1, 0, DateTimeKind.Utc),
        Customers = customers,
        TotalRevenue = totalRevenue,
        HeadlineClvTotal = clvTotal,
        HeadlineModel = ClvModeling.XgboostModel,
    };

    /// <summary>Customers "C000001".. with spend and activity spread like real retail data (a long tail of small buyers).</summary>
    public static List<CustomerResultDocument> Customers(Guid uploadId, string ownerId, int count, int seed = 7)
    {
        var random = new Random(seed);
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var customers = new List<CustomerResultDocument>(count);
        for (var i = 0; i < count; i++)
        {
            var orders = 1 + (int)Math.Floor(-Math.Log(1 - random.NextDouble()) * 2.5);
            var orderValue = Math.Round(Math.Exp(3.2 + random.NextDouble() * 1.6), 2);
            var first = start.AddDays(random.Next(0, 540));
            var last = orders == 1 ? first : first.AddDays(random.Next(1, Math.Max(2, (int)(new DateTime(2025, 12, 31, 0, 0, 0, DateTimeKind.Utc) - first).TotalDays)));
            var alive = Math.Round(orders == 1 ? 0.3 + random.NextDouble() * 0.7 : random.NextDouble(), 4);
            var expectedPurchases = Math.Round(alive * orders * 0.6, 3);
            var clv = Math.Round(expectedPurchases * orderValue, 2);
            // Probability of no purchase over the year; high risk for about P(alive) under 0.2.
            var noPurchase = Math.Round(1 - alive * 0.9, 4);
            var churnLevel = CustomerSegments.Churn(noPurchase, 0.5, 0.82);
            customers.Add(new CustomerResultDocument
            {
                UploadId = uploadId,
                OwnerId = ownerId,
                CustomerId = $"C{i + 1:D6}",
                Frequency = orders - 1,
                Recency = (last - first).TotalDays,
                T = (new DateTime(2025, 12, 31, 0, 0, 0, DateTimeKind.Utc) - first).TotalDays,
                MonetaryValue = orders == 1 ? 0 : orderValue,
                TotalRevenue = Math.Round(orders * orderValue, 2),
                Orders = orders,
                FirstPurchase = first,
                LastPurchase = last,
                XgbClv = clv,
                ExpectedPurchases = expectedPurchases,
                ProbabilityAlive = alive,
                ExpectedAverageValue = orderValue,
                ProbabilisticClv = Math.Round(clv * (0.8 + random.NextDouble() * 0.4), 2),
                BaselineClv = Math.Round(orders * orderValue * 0.5, 2),
                HeadlineClv = clv,
                ChurnRisk = churnLevel == ChurnLevel.High,
                ChurnProbability = noPurchase,
                ChurnLevel = churnLevel,
                Email = i % 4 == 3 ? null : $"customer{i + 1}@example.com",
                Name = i % 4 == 3 ? null : $"Customer {i + 1}",
                Country = (i % 3) switch { 0 => "United Kingdom", 1 => "Germany", _ => "France" },
                AverageDaysBetweenOrders = orders == 1 ? null : Math.Round((last - first).TotalDays / (orders - 1), 1),
                ExpectedNextOrder = CustomerOutlook.NextOrder(new DateOnly(2025, 12, 31), 365, expectedPurchases, churnLevel)
                    ?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            });
        }

        // Tiers by CLV percentile and the win-back list, by the analysis job's own rules.
        var tiers = CustomerSegments.Tiers([.. customers.Select(c => c.HeadlineClv)]);
        for (var i = 0; i < customers.Count; i++)
        {
            customers[i].Tier = tiers[i];
        }

        var winBack = CustomerSegments.WinBack(Features(customers), Predictions(customers));
        foreach (var c in customers)
        {
            c.WinBack = winBack.Contains(c.CustomerId);
        }

        return customers;
    }

    /// <summary>The analysis document summarising <paramref name="customers"/>, with every section filled.</summary>
    public static AnalysisResultDocument Result(Guid uploadId, string ownerId, IReadOnlyList<CustomerResultDocument> customers)
    {
        var monthly = new List<MonthlyPoint>();
        var random = new Random(11);
        for (var m = 0; m < 24; m++)
        {
            var orders = 800 + m * 40 + random.Next(0, 200);
            var aov = 48 + 6 * Math.Sin(m / 2.0) + random.NextDouble() * 3;
            var newCustomers = Math.Max(50, 600 - m * 15 + random.Next(0, 80));
            if (m == 23)
            {
                orders = orders * SampleEnd.Day / 31; // the data ends part way through December 2025
            }

            monthly.Add(new MonthlyPoint(2024 + m / 12, m % 12 + 1, Math.Round(orders * aov, 2), orders, Math.Round(aov, 2), newCustomers, orders / 2));
        }

        var top = customers.OrderByDescending(c => c.TotalRevenue).Take(10).Select(c => new TopCustomer(c.CustomerId, c.TotalRevenue, c.Orders)).ToList();

        return new AnalysisResultDocument
        {
            Id = uploadId,
            OwnerId = ownerId,
            File = new FileDescription(
                "csv", "utf-8", ",", false, [], ["InvoiceNo", "CustomerID", "InvoiceDate", "Quantity", "UnitPrice", "Country"],
                new ColumnMapping { CustomerId = "CustomerID", Date = "InvoiceDate", Quantity = "Quantity", UnitPrice = "UnitPrice", InvoiceId = "InvoiceNo", Country = "Country" },
                DateOrder.DayFirst, "a first part above 12 on line 14 (25/01/2024)"),
            Cleaning = new CleaningReport(
                120_000,
                112_430,
                [
                    new CleaningRuleResult("missing-customer-id", "Rows without a customer id", "dropped", 5_120, [3, 18, 41]),
                    new CleaningRuleResult("returns", "Returns (negative quantities) netted against their purchase", "netted", 2_210, [77, 90, 132]),
                    new CleaningRuleResult("zero-price", "Rows with a zero or missing price", "dropped", 240, [501, 733]),
                ]),
            Aggregates = new DashboardAggregates(monthly, top, [new CountryRevenue("United Kingdom", 1_000_000, 3_000)])
            {
                Period = new DataPeriod(new DateOnly(2024, 1, 1), SampleEnd),
                Cohorts = Cohorts(customers),
            },
            Customers = customers.Count,
            TotalRevenue = customers.Sum(c => c.TotalRevenue),
            HeadlineModel = ClvModeling.XgboostModel,
            HeadlineReason = "XGBoost ranked customers best on the held-out last 6 months (normalized Gini 0.62 vs 0.55 for BG/NBD + Gamma-Gamma).",
            HorizonDays = 365,
            HeadlineClvTotal = customers.Sum(c => c.HeadlineClv),
            Backtests =
            [
                new ModelBacktest(ClvModeling.XgboostModel, 0.62, 0.58, 0.18, 41.2, -0.04, Deciles(1.0)),
                new ModelBacktest(ClvModeling.ProbabilisticModel, 0.55, 0.52, 0.27, 47.9, 0.09, Deciles(1.15)),
                new ModelBacktest(ClvModeling.BaselineModel, 0.41, 0.44, 0.46, 63.0, 0.21, Deciles(1.4)),
            ],
            BgNbd = new BgNbdParameters(0.243, 4.414, 0.793, 2.426),
            GammaGamma = new GammaGammaParameters(6.249, 3.744, 15.445),
            Notes = ["Returns were netted against the purchases they refer to.", "2 customers with a single purchase over $10,000 were kept; check them in the customer table."],
            ClvDistribution = [.. ClvCharts.Histogram(customers.Select(c => c.HeadlineClv)).Select(HistogramBin.Of)],
            Tiers = [.. ClvCharts.Tiers(Features(customers), Predictions(customers)).Select(TierSummary.Of)],
            ChurnRiskCustomers = customers.Count(c => c.ChurnRisk),
            ObservationEnd = new DateTime(2025, 12, 31, 0, 0, 0, DateTimeKind.Utc),
            VipCustomers = customers.Count(c => CustomerSegments.IsVip(c.Tier)),
            WinBackCustomers = customers.Count(c => c.WinBack),
            CompletedAt = new DateTime(2026, 1, 5, 9, 1, 0, DateTimeKind.Utc),
        };
    }

    /// <summary>The last day of the sample's data: part way through a month, as most real exports end.</summary>
    private static readonly DateOnly SampleEnd = new(2025, 12, 18);

    /// <summary>Cohorts of the sample customers, each buying their orders evenly from first to last purchase, continued by their CLV.</summary>
    private static CohortTable Cohorts(IReadOnlyList<CustomerResultDocument> customers)
    {
        var ledger = new CustomerLedger();
        foreach (var c in customers)
        {
            var first = DateOnly.FromDateTime(c.FirstPurchase);
            var span = DateOnly.FromDateTime(c.LastPurchase).DayNumber - first.DayNumber;
            for (var i = 0; i < c.Orders; i++)
            {
                var day = first.AddDays(c.Orders == 1 ? 0 : span * i / (c.Orders - 1));
                ledger.Add(new Transaction(c.CustomerId, day.ToDateTime(TimeOnly.MinValue), c.TotalRevenue / c.Orders, null, null));
            }
        }

        var outlook = customers.ToDictionary(c => c.CustomerId, c => new CohortMember(c.HeadlineClv, c.Frequency, c.Recency, c.T), StringComparer.Ordinal);
        return CohortCalculator.Compute(ledger, SampleEnd, new CohortForecast(outlook, null, DaysPerUnit: 1, HorizonMonths: 12));
    }

    private static List<CustomerFeatures> Features(IEnumerable<CustomerResultDocument> customers) =>
        [.. customers.Select(c => new CustomerFeatures(c.CustomerId, c.Frequency, c.Recency, c.T, c.MonetaryValue, c.TotalRevenue, c.Orders, DateOnly.FromDateTime(c.FirstPurchase), DateOnly.FromDateTime(c.LastPurchase)))];

    private static List<CustomerPrediction> Predictions(IEnumerable<CustomerResultDocument> customers) =>
        [.. customers.Select(c => new CustomerPrediction(c.CustomerId, c.XgbClv, c.ExpectedPurchases, c.ProbabilityAlive, c.ExpectedAverageValue, c.ProbabilisticClv, c.BaselineClv, c.HeadlineClv, c.Tier, c.ChurnRisk) { ChurnLevel = c.ChurnLevel })];

    private static List<DecilePoint> Deciles(double bias) =>
        Enumerable.Range(1, 10).Select(d => new DecilePoint(d, Math.Round(400.0 / d * bias, 2), Math.Round(400.0 / d, 2))).ToList();

    /// <summary>Inserts one complete sample analysis (upload, analysis document, customers) and returns its upload id.</summary>
    public static async Task<Guid> SeedAsync(PortalDb db, string ownerId, int customers, CancellationToken cancellationToken = default)
    {
        var uploadId = Guid.NewGuid();
        var rows = Customers(uploadId, ownerId, customers);
        var result = Result(uploadId, ownerId, rows);
        await db.Uploads.InsertOneAsync(Upload(uploadId, ownerId, customers, result.TotalRevenue, result.HeadlineClvTotal), cancellationToken: cancellationToken);
        await db.AnalysisResults.InsertOneAsync(result, cancellationToken: cancellationToken);
        foreach (var batch in rows.Chunk(5_000))
        {
            await db.CustomerResults.InsertManyAsync(batch, new InsertManyOptions { IsOrdered = false }, cancellationToken);
        }

        return uploadId;
    }
}
