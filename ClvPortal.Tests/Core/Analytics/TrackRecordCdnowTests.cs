using System.Globalization;
using System.Text;
using ClvPortal.Core.Analytics;
using ClvPortal.Core.Features;
using ClvPortal.Core.Models;
using ClvPortal.Core.Pipeline;
using Xunit.Abstractions;

namespace ClvPortal.Tests.Core.Analytics;

/// <summary>
/// CDNOW as two uploads of one business: an analysis of the data to 30 September 1997 (12-month horizon), then the
/// whole file to 30 June 1998, which covers 9 of the 12 months predicted. The oracle is CDNOW_master.txt itself,
/// read with plain LINQ.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TrackRecordCdnowTests(TrackRecordCdnowTests.Uploads uploads, ITestOutputHelper output) : IClassFixture<TrackRecordCdnowTests.Uploads>
{
    private static readonly DateOnly EarlierEnd = new(1997, 9, 30);
    private static readonly DateOnly LaterEnd = new(1998, 6, 30);

    [CdnowFact]
    public void Score_CdnowSplitAtSeptember1997_ActualsAreWhatTheFileShowsAgainstTheProRataPrediction()
    {
        var earlier = uploads.Earlier;
        var track = TrackRecordScorer.Score(earlier, uploads.FullReExport)!;

        // Oracle: every row dated 1 October 1997 to 30 June 1998, by customer, straight from the file.
        var spent = uploads.Rows
            .Where(r => r.Date > EarlierEnd && r.Date <= LaterEnd)
            .GroupBy(r => r.Customer)
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Amount));
        // All 23,570 customers joined in the first quarter of 1997 (Fader, Hardie & Lee 2005), so all are in the earlier analysis.
        Assert.Equal(23_570, earlier.Customers.Count);
        Assert.Equal(776_961, spent.Values.Sum(), 0);
        Assert.Equal(spent.Values.Sum(), track.Actual, 4);
        Assert.Equal(0, track.NewCustomers);

        // 1 October 1997 to 30 June 1998: 273 of the horizon's 365 days, 9 of 12 months.
        Assert.Equal(new DateOnly(1997, 10, 1), track.From);
        Assert.Equal(LaterEnd, track.To);
        Assert.Equal(0.75, track.CoveredShare, 0.005);
        Assert.True(track.Partial);

        // The pro-rata prediction, recomputed: each CLV times E[Y(273 days)] / E[Y(365 days)] (FHL 2005 eq. 10).
        var bgnbd = earlier.Purchases!;
        var predicted = earlier.Customers.Sum(c => c.PredictedClv
            * bgnbd.ConditionalExpectedPurchases(273 / 7.0, c.Frequency, c.Recency, c.T)
            / bgnbd.ConditionalExpectedPurchases(365 / 7.0, c.Frequency, c.Recency, c.T));
        Assert.Equal(predicted, track.Predicted, 1e-6 * predicted);
        Assert.Equal((spent.Values.Sum() - predicted) / predicted, track.Difference!.Value, 1e-6);

        // Per tier, the oracle's actuals and buyers for the tier's customers.
        Assert.Equal(earlier.Customers.Select(c => c.Tier).Distinct().Count(), track.Tiers.Count);
        foreach (var tier in track.Tiers)
        {
            var members = earlier.Customers.Where(c => c.Tier == tier.Tier).ToList();
            Assert.Equal(members.Count, tier.Customers);
            Assert.Equal(members.Sum(c => spent.GetValueOrDefault(c.CustomerId)), tier.Actual, 4);
            Assert.Equal(members.Count(c => spent.ContainsKey(c.CustomerId)), tier.Bought);
        }

        // The ranking holds: the top tenth of predicted CLV spent more than the whole bottom half.
        Assert.Equal(10, track.Deciles.Count);
        Assert.True(track.Deciles[0].Actual > track.Deciles.Skip(5).Sum(d => d.Actual), "the top decile outspends the bottom half");
        // Whether a customer bought nothing in 9 months, ranked by the churn probability (CDNOW's is known good, ~0.76).
        Assert.InRange(track.Churn.Auc!.Value, 0.7, 1);
        Assert.Equal(TrackRecordScorer.TopCustomerCount, track.TopCustomers.Count);
        Assert.All(track.TopCustomers, t => Assert.Equal(spent.GetValueOrDefault(t.CustomerId), t.Actual, 6));

        Report(track);
    }

    [CdnowFact]
    public void Score_CdnowNewPeriodOnly_SameTrackRecordAsTheFullReExport()
    {
        var full = TrackRecordScorer.Score(uploads.Earlier, uploads.FullReExport)!;

        var added = TrackRecordScorer.Score(uploads.Earlier, uploads.NewPeriodOnly)!;

        Assert.Equal((full.From, full.To, full.CoveredShare, 0), (added.From, added.To, added.CoveredShare, added.UnseenDays));
        Assert.Equal(full.Actual, added.Actual, 6);
        Assert.Equal(full.Predicted, added.Predicted, 6);
        Assert.Equal(full.Tiers, added.Tiers);
        Assert.Equal(full.Deciles, added.Deciles);
        Assert.Equal(full.TopCustomers, added.TopCustomers);
        Assert.Equal(full.Churn.Levels, added.Churn.Levels);
        Assert.Equal(full.Churn.Auc, added.Churn.Auc);
        Assert.Equal((full.NewCustomers, full.NewCustomerRevenue), (added.NewCustomers, added.NewCustomerRevenue));
    }

    private void Report(TrackRecord track)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"Covered {track.From:yyyy-MM-dd}..{track.To:yyyy-MM-dd} share {track.CoveredShare:F4}; customers {track.Customers}"));
        output.WriteLine(string.Create(c, $"Predicted {track.Predicted:F0} actual {track.Actual:F0} difference {track.Difference:P1}"));
        foreach (var g in track.Tiers.Concat(track.Deciles))
        {
            output.WriteLine(string.Create(c, $"{g.Group}: n {g.Customers} predicted {g.Predicted:F0} actual {g.Actual:F0} bought {g.Bought}"));
        }

        output.WriteLine(string.Create(c, $"Churn AUC {track.Churn.Auc:F3}; mean P(no purchase) {track.Churn.MeanPredictedNoPurchase:F3} actual share {track.Churn.ActualNoPurchaseShare:F3}"));
        foreach (var l in track.Churn.Levels)
        {
            output.WriteLine(string.Create(c, $"{l.Level}: n {l.Customers} mean {l.MeanPredictedNoPurchase:F3} bought {l.Bought}"));
        }
    }

    /// <summary>The two uploads and the file's rows, made once for the class and only when a test asks for them.</summary>
    public sealed class Uploads
    {
        private readonly Lazy<EarlierForecast> _earlier = new(() =>
        {
            var options = new PipelineOptions
            {
                TimeUnit = TimeUnit.ContinuousWeeks,
                ObservationEnd = EarlierEnd,
                HorizonMonths = 12,
                Modeling = new ModelingOptions { Xgboost = new XgbTrainingOptions { Rounds = 40, LearningRate = 0.2 } },
            };
            using var file = File.OpenRead(TestData.CdnowPath);
            var result = ClvPipeline.Run(file, "CDNOW_master.txt", options).Result!;
            return EarlierForecast.From(result.Modeling, result.Customers, options.TimeUnit, result.ObservationEnd)!;
        });

        private readonly Lazy<CustomerLedger> _full = new(() =>
        {
            using var file = File.OpenRead(TestData.CdnowPath);
            return Ledger(file);
        });

        // The same file without the rows the earlier upload already had: its header and the rows from 1 October 1997.
        private readonly Lazy<CustomerLedger> _newPeriod = new(() =>
        {
            var lines = File.ReadLines(TestData.CdnowPath).Where((line, i) => i == 0 || Fields(line) is [_, var date, ..] && string.CompareOrdinal(date, "19971001") >= 0);
            using var file = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
            return Ledger(file);
        });

        private readonly Lazy<List<(string Customer, DateOnly Date, double Amount)>> _rows = new(() =>
            [.. File.ReadLines(TestData.CdnowPath).Skip(1).Select(Fields).Where(f => f.Length == 4).Select(f =>
                (f[0], DateOnly.ParseExact(f[1], "yyyyMMdd", CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture)))]);

        public EarlierForecast Earlier => _earlier.Value;

        public CustomerLedger FullReExport => _full.Value;

        public CustomerLedger NewPeriodOnly => _newPeriod.Value;

        /// <summary>Every row of CDNOW_master.txt: customer id, date, dollar value.</summary>
        public List<(string Customer, DateOnly Date, double Amount)> Rows => _rows.Value;

        private static string[] Fields(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        private static CustomerLedger Ledger(Stream file) =>
            ClvPipeline.Run(file, "CDNOW_master.txt", new PipelineOptions { TimeUnit = TimeUnit.ContinuousWeeks, RunModels = false }).Result!.Ledger!;
    }
}
