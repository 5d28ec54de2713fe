using ClvPortal.Core.Analytics;
using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Features;
using ClvPortal.Core.Models;
using ClvPortal.Tests.Core.Features;

namespace ClvPortal.Tests.Core.Analytics;

/// <summary>The track record of a tiny earlier analysis, every number worked out by hand.</summary>
[Trait("Category", "Unit")]
public sealed class TrackRecordScorerTests
{
    private static readonly DateOnly EarlierEnd = new(2024, 1, 31);

    /// <summary>
    /// The earlier analysis ended 31 January 2024 with a 40-day horizon (to 11 March). Its CLVs: a 400, b 200,
    /// d and c 100 each (listed d before c: equal CLVs rank by id). Churn probabilities: a 0.10 (low), b 0.88,
    /// c 0.90, d 0.88 (high).
    /// </summary>
    private static EarlierForecast Earlier(BgNbdParameters? purchases = null, double daysPerUnit = 1) => new(
        EarlierEnd,
        HorizonDays: 40,
        purchases,
        daysPerUnit,
        [
            new PastPrediction("a", 400, ValueTier.Top1, 0.10, ChurnLevel.Low, 3, 50, 60),
            new PastPrediction("b", 200, ValueTier.Top1To5, 0.88, ChurnLevel.High, 1, 20, 40),
            new PastPrediction("d", 100, ValueTier.Bottom50, 0.88, ChurnLevel.High, 0, 0, 30),
            new PastPrediction("c", 100, ValueTier.Bottom50, 0.90, ChurnLevel.High, 0, 0, 12),
        ]);

    private static Transaction Buy(string customer, int month, int day, double amount) =>
        new(customer, new DateTime(2024, month, day), amount, null, null);

    /// <summary>
    /// The later file, 10 January to 29 February 2024 (no invoice ids: an order is a purchase day). In the covered
    /// period (1–29 February): a 120 + 30 on the 5th (one day) and 50 on the 20th = 200 in 2 orders; b 80 on the
    /// 10th, a return of 20 on the 15th and a zero-value sale on the 29th = 60 in 2 orders (a return is no order); c bought only in January (0); d is absent (0); e is new
    /// (70 on the 12th); f is not in the earlier analysis either but bought only before the covered period.
    /// </summary>
    private static readonly Transaction[] LaterFile =
    [
        Buy("a", 1, 10, 300), Buy("f", 1, 15, 10), Buy("c", 1, 20, 40), Buy("a", 2, 5, 120), Buy("a", 2, 5, 30),
        Buy("b", 2, 10, 80), Buy("e", 2, 12, 70), Buy("b", 2, 15, -20), Buy("a", 2, 20, 50), Buy("b", 2, 29, 0.0),
    ];

    [Fact]
    public void Score_PartialOverlapWithoutFit_TakesPredictionsProRataByDays()
    {
        var track = TrackRecordScorer.Score(Earlier(), Ledgers.Of(LaterFile))!;

        // Covered: 1 to 29 February, 29 of the horizon's 40 days.
        Assert.Equal(new DateOnly(2024, 2, 1), track.From);
        Assert.Equal(new DateOnly(2024, 2, 29), track.To);
        Assert.Equal(new DateOnly(2024, 3, 11), track.HorizonEnd);
        Assert.Equal(0, track.UnseenDays);
        Assert.Equal(29.0 / 40, track.CoveredShare, 12);
        Assert.True(track.Partial);
        // Pro rata 0.725 of 400, 200, 100, 100 = 290 + 145 + 72.5 + 72.5 = 580; actual 200 + 60 + 0 + 0 = 260.
        Assert.Equal(4, track.Customers);
        Assert.Equal(580, track.Predicted, 9);
        Assert.Equal(260, track.Actual, 9);
        Assert.Equal((260 - 580) / 580.0, track.Difference!.Value, 12);
        // e spent 70 in the period; f bought before it, so is not new in it.
        Assert.Equal(1, track.NewCustomers);
        Assert.Equal(70, track.NewCustomerRevenue, 9);
    }

    [Fact]
    public void Score_PartialOverlap_GroupsByTierAndDecileWithWhoBought()
    {
        var track = TrackRecordScorer.Score(Earlier(), Ledgers.Of(LaterFile))!;

        // Bought counts customers with at least one purchase in the period: a and b.
        Assert.Equal(
            [
                new TrackRecordGroup("Top 1%", 1, 290, 200, 1) { Tier = ValueTier.Top1 },
                new TrackRecordGroup("Top 1–5%", 1, 145, 60, 1) { Tier = ValueTier.Top1To5 },
                new TrackRecordGroup("Bottom 50%", 2, 145, 0, 0) { Tier = ValueTier.Bottom50 },
            ],
            track.Tiers);
        // Ranked a, b, c, d (c before d by id); rank r of 4 is in decile ⌊10 r / 4⌋ + 1: 1, 3, 6, 8.
        Assert.Equal(
            [
                new TrackRecordGroup("Decile 1", 1, 290, 200, 1),
                new TrackRecordGroup("Decile 3", 1, 145, 60, 1),
                new TrackRecordGroup("Decile 6", 1, 72.5, 0, 0),
                new TrackRecordGroup("Decile 8", 1, 72.5, 0, 0),
            ],
            track.Deciles);
        Assert.Equal(
            [
                new TopCustomerOutcome("a", 1, 290, 200, 2),
                new TopCustomerOutcome("b", 2, 145, 60, 2),
                new TopCustomerOutcome("c", 3, 72.5, 0, 0),
                new TopCustomerOutcome("d", 4, 72.5, 0, 0),
            ],
            track.TopCustomers);
    }

    [Fact]
    public void Score_PartialOverlap_ChurnRiskAgainstWhoBoughtNothing()
    {
        var churn = TrackRecordScorer.Score(Earlier(), Ledgers.Of(LaterFile))!.Churn;

        // Low: a (0.10), bought. High: b, d, c, mean (0.88 + 0.88 + 0.90) / 3, only b bought.
        Assert.Equal([ChurnLevel.Low, ChurnLevel.High], churn.Levels.Select(l => l.Level));
        Assert.Equal([1, 3], churn.Levels.Select(l => l.Customers));
        Assert.Equal([1, 1], churn.Levels.Select(l => l.Bought));
        Assert.Equal(0.10, churn.Levels[0].MeanPredictedNoPurchase, 12);
        Assert.Equal(2.66 / 3, churn.Levels[1].MeanPredictedNoPurchase, 12);
        // Bought nothing: c (0.90) and d (0.88); bought: a (0.10), b (0.88). Pairs c>a, c>b, d>a count 1, d=b a half: 3.5 / 4.
        Assert.Equal(0.875, churn.Auc!.Value, 12);
        Assert.Equal(2.76 / 4, churn.MeanPredictedNoPurchase, 12);
        Assert.Equal(0.5, churn.ActualNoPurchaseShare, 12);
    }

    [Fact]
    public void Score_LaterFileStartsAfterAGapWithFit_LeavesUnseenDaysOutAndSpreadsByExpectedPurchases()
    {
        // FHL (2005) CDNOW parameters, in weeks; the later file starts 10 February: 1–9 February nobody saw.
        var purchases = new BgNbdParameters(0.2426, 4.4136, 0.7929, 2.4259);
        var later = Ledgers.Of(LaterFile.Where(t => t.Date >= new DateTime(2024, 2, 10)));

        var track = TrackRecordScorer.Score(Earlier(purchases, daysPerUnit: 7), later)!;

        Assert.Equal(new DateOnly(2024, 2, 10), track.From);
        Assert.Equal(9, track.UnseenDays);
        Assert.Equal(20.0 / 40, track.CoveredShare, 12);
        // Each CLV times (E[Y(29 days)] − E[Y(9 days)]) / E[Y(40 days)] for the customer's (x, t_x, T), FHL eq. 10.
        double Share(int x, double tx, double age) =>
            (purchases.ConditionalExpectedPurchases(29 / 7.0, x, tx, age) - purchases.ConditionalExpectedPurchases(9 / 7.0, x, tx, age))
            / purchases.ConditionalExpectedPurchases(40 / 7.0, x, tx, age);
        var expected = (400 * Share(3, 50, 60)) + (200 * Share(1, 20, 40)) + (100 * Share(0, 0, 30)) + (100 * Share(0, 0, 12));
        Assert.Equal(expected, track.Predicted, 9);
        Assert.NotEqual(0.5 * 800, track.Predicted, 1);
        // a's 150 on 5 February is in the unseen days; from the 10th: a 50, b 80 − 20 + 0.
        Assert.Equal(110, track.Actual, 9);
    }

    [Fact]
    public void Score_LaterFileBeyondTheHorizon_CoversItWholeAndIgnoresLaterDays()
    {
        var later = Ledgers.Of([.. LaterFile, Buy("a", 3, 11, 5), Buy("a", 3, 12, 1000)]);

        var track = TrackRecordScorer.Score(Earlier(), later)!;

        Assert.Equal(new DateOnly(2024, 3, 11), track.To);
        Assert.Equal(1, track.CoveredShare);
        Assert.False(track.Partial);
        Assert.Equal(800, track.Predicted, 9);
        Assert.Equal(265, track.Actual, 9);
    }

    [Fact]
    public void Score_LaterFileWithInvoices_CountsTopCustomersOrdersByInvoice()
    {
        // a: invoice 1 (two lines) and invoice 2 on 5 February, invoice 3 on the 20th, a return (C4) on the 21st:
        // three orders on two purchase days, 100 + 20 + 30 + 50 − 10 = 190.
        Transaction Line(string invoice, int day, double amount) => new("a", new DateTime(2024, 2, day), amount, invoice, null);
        var later = Ledgers.Of([Line("1", 5, 100), Line("1", 5, 20), Line("2", 5, 30), Line("3", 20, 50), Line("C4", 21, -10)]);

        var track = TrackRecordScorer.Score(Earlier(), later)!;

        var a = track.TopCustomers[0];
        Assert.Equal(("a", 1, 3), (a.CustomerId, a.Rank, a.Orders));
        Assert.Equal(190, a.Actual, 9);
        // The file starts on the 5th, so the covered period is 5 to 21 February: 17 of the 40 days of a's 400.
        Assert.Equal(400 * 17 / 40.0, a.Predicted, 9);
    }

    [Fact]
    public void Score_LaterFileEndsByTheEarlierEnd_IsNull()
    {
        var later = Ledgers.Of(LaterFile.Where(t => t.Date <= EarlierEnd.ToDateTime(TimeOnly.MinValue)));

        Assert.Null(TrackRecordScorer.Score(Earlier(), later));
        Assert.Null(TrackRecordScorer.Score(Earlier(), new CustomerLedger()));
    }

    [Fact]
    public void Score_LaterFileStartsAfterTheHorizon_IsNull()
    {
        var later = Ledgers.Of([Buy("a", 3, 12, 50), Buy("b", 4, 1, 20)]);

        Assert.Null(TrackRecordScorer.Score(Earlier(), later));
    }
}
