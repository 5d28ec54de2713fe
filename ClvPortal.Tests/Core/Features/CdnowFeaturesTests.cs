using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Features;

namespace ClvPortal.Tests.Core.Features;

/// <summary>
/// The full CDNOW master file: 69,659 transactions of the 23,570 customers who first bought in the
/// first quarter of 1997, followed to the end of June 1998 (Fader &amp; Hardie).
/// </summary>
[Trait("Category", "Unit")]
public sealed class CdnowFeaturesTests
{
    private static readonly List<Transaction> Transactions = Cdnow.Load();

    private static CustomerLedger Ledger()
    {
        var ledger = new CustomerLedger();
        foreach (var transaction in Transactions)
        {
            ledger.Add(transaction);
        }

        return ledger;
    }

    [CdnowFact]
    public void Compute_CdnowInDays_HasEveryCustomerAndOneTransactionPerCustomerDay()
    {
        Assert.Equal(69_659, Transactions.Count);

        var features = RfmCalculator.Compute(Ledger(), new FeatureOptions());

        Assert.Equal(23_570, features.Count);
        var customerDays = Transactions.Select(t => (t.CustomerId, t.Date)).Distinct().Count();
        Assert.Equal(customerDays, features.Sum(f => f.Frequency + 1));
        Assert.Equal(Transactions.Sum(t => t.Amount), features.Sum(f => f.TotalRevenue), 3);
        Assert.All(features, f => Assert.Equal(new DateOnly(1998, 6, 30).DayNumber - f.FirstPurchase.DayNumber, f.T));
    }

    [CdnowFact]
    public void Compute_CdnowWeeklyCalibrationTo19970930_MatchesLifetimesAndIndependentCounts()
    {
        var calibrationEnd = new DateTime(1997, 9, 30);
        var features = RfmCalculator.Compute(Ledger(), new FeatureOptions { TimeUnit = TimeUnit.Weeks, CalibrationEnd = DateOnly.FromDateTime(calibrationEnd) })
            .ToDictionary(f => f.CustomerId);

        // Every CDNOW customer first bought in 1997-Q1, so all are in the 39-week calibration window.
        Assert.Equal(23_570, features.Count);

        // Weeks counted independently: Monday 1996-12-30 starts the week of 1997-01-01.
        static int Week(DateTime d) => (d - new DateTime(1996, 12, 30)).Days / 7;
        var calibrationWeeks = Transactions.Where(t => t.Date <= calibrationEnd).Select(t => (t.CustomerId, Week(t.Date))).Distinct().Count();
        var holdoutWeeks = Transactions.Where(t => t.Date > calibrationEnd).Select(t => (t.CustomerId, Week(t.Date))).Distinct().Count();
        Assert.Equal(calibrationWeeks, features.Values.Sum(f => f.Frequency + 1));
        Assert.Equal(holdoutWeeks, features.Values.Sum(f => f.HoldoutPurchases!.Value));

        // Customer 00004 is id 1 of Fader and Hardie's CDNOW sample: x = 2, t_x = 30.43, T = 38.86 in
        // fractional weeks; lifetimes' docstring gives recency 30 and T 39 for it with freq='W'.
        var first = features["00004"];
        Assert.Equal((2, 30.0, 39.0), (first.Frequency, first.Recency, first.T));
        Assert.Equal((29.73 + 14.96) / 2, first.MonetaryValue, 9);
        Assert.Equal(1, first.HoldoutPurchases);
        Assert.Equal(26.48, first.HoldoutRevenue!.Value, 9);
    }
}
