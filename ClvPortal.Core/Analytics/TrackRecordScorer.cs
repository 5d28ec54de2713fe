using ClvPortal.Core.Features;
using ClvPortal.Core.Models;

namespace ClvPortal.Core.Analytics;

/// <summary>
/// Scores an earlier analysis's predictions against a later file's transactions, in one pass over the later
/// ledger and one sort of the earlier customers: O(customer-days + customers log customers).
/// <para>
/// The covered period runs from the day after the earlier analysis's end to the end of its horizon (in whole
/// days) or the later file's last day, whichever comes first. A later file that starts after the day after the
/// earlier end leaves days nobody saw: the period then starts at the later file's first day and
/// <see cref="TrackRecord.UnseenDays"/> says how many were left out.
/// </para>
/// <para>
/// The earlier headline CLV covers the whole horizon, so each customer's prediction is taken pro rata over the
/// covered period: by BG/NBD's expected purchases, (E[Y(to)] − E[Y(from)]) / E[Y(horizon)] for their (x, t_x, T)
/// (<see cref="PurchaseTiming"/>, as the cohort curves spread it), or evenly by days without a fit.
/// Actual revenue is the net revenue (returns included) of the customer's days in the period; customers of the
/// earlier analysis missing from the later file spent nothing. Customers of the later file who bought in the
/// period but were not in the earlier analysis are counted apart as new customers.
/// </para>
/// <para>
/// Churn: the earlier probability of no purchase is kept as the user saw it, for the whole horizon. With partial
/// coverage it is for a longer period than the one observed, so the real share of customers who bought nothing in
/// the covered period is expected to be above it (a customer may still come back before the horizon ends); the
/// AUC only ranks customers and is unaffected by the scale. It is not rescaled with BG/NBD because the stored
/// probability may be calibrated on the backtest's outcomes rather than BG/NBD's own.
/// </para>
/// </summary>
public static class TrackRecordScorer
{
    /// <summary>How many of the customers the earlier analysis ranked highest the track record follows.</summary>
    public const int TopCustomerCount = 20;

    /// <summary>
    /// The earlier predictions against the later ledger over the covered part of the earlier horizon; null when
    /// the later data does not reach past the earlier analysis's last day, or starts after its horizon ended.
    /// </summary>
    public static TrackRecord? Score(EarlierForecast earlier, CustomerLedger later)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(later);
        if (!(earlier.DaysPerUnit > 0))
        {
            throw new ArgumentException("The earlier forecast's unit must be a positive number of days.", nameof(earlier));
        }

        var endDay = earlier.ObservationEnd.DayNumber;
        var horizonDays = Math.Max(1, (int)Math.Round(earlier.HorizonDays));
        var horizonEnd = endDay + horizonDays;
        if (later.FirstDate is not { } laterFirst || later.LastDate is not { } laterLast)
        {
            return null;
        }

        var from = Math.Max(endDay + 1, laterFirst.DayNumber);
        var to = Math.Min(horizonEnd, laterLast.DayNumber);
        if (to < from)
        {
            return null;
        }

        var customers = earlier.Customers;
        var index = new Dictionary<string, int>(customers.Count, StringComparer.Ordinal);
        for (var i = 0; i < customers.Count; i++)
        {
            if (!index.TryAdd(customers[i].CustomerId, i))
            {
                throw new ArgumentException($"The earlier forecast lists customer {customers[i].CustomerId} twice.", nameof(earlier));
            }
        }

        var actual = new Activity[customers.Count];
        var newCustomers = 0;
        var newRevenue = 0.0;
        foreach (var account in later.Accounts)
        {
            var activity = Activity.In(account.Days, from, to, later.HasInvoices);
            if (index.TryGetValue(account.Id, out var i))
            {
                actual[i] = activity;
            }
            else if (activity.PurchaseDays > 0)
            {
                newCustomers++;
                newRevenue += activity.Revenue;
            }
        }

        var predicted = ProRata(earlier, from - 1 - endDay, to - endDay, horizonDays);
        var order = Enumerable.Range(0, customers.Count)
            .OrderByDescending(i => Clv(customers[i]))
            .ThenBy(i => customers[i].CustomerId, StringComparer.Ordinal)
            .ToArray();

        return new TrackRecord(
            DateOnly.FromDayNumber(from),
            DateOnly.FromDayNumber(to),
            DateOnly.FromDayNumber(horizonEnd),
            CoveredShare: (double)(to - from + 1) / horizonDays,
            customers.Count,
            Predicted: predicted.Sum(),
            Actual: actual.Sum(a => a.Revenue),
            Tiers(customers, predicted, actual),
            Deciles(order, predicted, actual),
            Churn(customers, actual),
            Top(order, customers, predicted, actual),
            newCustomers,
            newRevenue)
        {
            UnseenDays = from - (endDay + 1),
        };
    }

    /// <summary>
    /// Each customer's headline CLV for the days <paramref name="start"/> (exclusive) to <paramref name="stop"/> after
    /// the earlier end: their share of the horizon's expected purchases between those days (<see cref="PurchaseTiming"/>).
    /// </summary>
    private static double[] ProRata(EarlierForecast earlier, int start, int stop, int horizonDays)
    {
        var unit = earlier.DaysPerUnit;
        var timing = new PurchaseTiming(earlier.Purchases, horizonDays / unit, [start / unit, stop / unit]);
        var predicted = new double[earlier.Customers.Count];
        for (var i = 0; i < predicted.Length; i++)
        {
            var c = earlier.Customers[i];
            var clv = Clv(c);
            if (clv == 0)
            {
                continue;
            }

            var shares = timing.Shares(c.Frequency, c.Recency, c.T);
            predicted[i] = clv * (shares[1] - shares[0]);
        }

        return predicted;
    }

    private static double Clv(PastPrediction customer) => double.IsFinite(customer.PredictedClv) ? customer.PredictedClv : 0;

    private static List<TrackRecordGroup> Tiers(IReadOnlyList<PastPrediction> customers, double[] predicted, Activity[] actual)
    {
        var sums = new GroupSum[Enum.GetValues<ValueTier>().Length];
        for (var i = 0; i < customers.Count; i++)
        {
            sums[(int)customers[i].Tier].Add(predicted[i], actual[i]);
        }

        var tiers = new List<TrackRecordGroup>(sums.Length);
        foreach (var tier in Enum.GetValues<ValueTier>())
        {
            if (sums[(int)tier].Customers > 0)
            {
                tiers.Add(sums[(int)tier].Group(ValueTiers.Label(tier)) with { Tier = tier });
            }
        }

        return tiers;
    }

    /// <summary>
    /// Deciles of the earlier predicted CLV, decile 1 the highest (equal CLVs ranked by id, as the top customers): the customer at rank r of n is in decile
    /// ⌊10 r / n⌋ + 1, so the top customer is always in decile 1 and, below 10 customers, some deciles stay empty (left out).
    /// </summary>
    private static List<TrackRecordGroup> Deciles(int[] order, double[] predicted, Activity[] actual)
    {
        var sums = new GroupSum[10];
        for (var rank = 0; rank < order.Length; rank++)
        {
            sums[(int)(10L * rank / order.Length)].Add(predicted[order[rank]], actual[order[rank]]);
        }

        var deciles = new List<TrackRecordGroup>(10);
        for (var d = 0; d < 10; d++)
        {
            if (sums[d].Customers > 0)
            {
                deciles.Add(sums[d].Group($"Decile {d + 1}"));
            }
        }

        return deciles;
    }

    /// <summary>The churn levels, the AUC and the means, over the customers the earlier analysis gave a churn probability.</summary>
    private static ChurnOutcome Churn(IReadOnlyList<PastPrediction> customers, Activity[] actual)
    {
        var probabilities = new List<double>(customers.Count);
        var boughtNothing = new List<bool>(customers.Count);
        var levels = new (int Customers, double Probability, int Bought)[Enum.GetValues<ChurnLevel>().Length];
        for (var i = 0; i < customers.Count; i++)
        {
            if (customers[i].ChurnProbability is not { } p || !double.IsFinite(p))
            {
                continue;
            }

            var bought = actual[i].PurchaseDays > 0;
            probabilities.Add(p);
            boughtNothing.Add(!bought);
            if (customers[i].ChurnLevel is { } level)
            {
                ref var sum = ref levels[(int)level];
                sum.Customers++;
                sum.Probability += p;
                sum.Bought += bought ? 1 : 0;
            }
        }

        var outcomes = new List<ChurnLevelOutcome>(levels.Length);
        foreach (var level in Enum.GetValues<ChurnLevel>())
        {
            var (n, probability, bought) = levels[(int)level];
            if (n > 0)
            {
                outcomes.Add(new ChurnLevelOutcome(level, n, probability / n, bought));
            }
        }

        // Who bought nothing is the positive class: a good ranking gives them the higher probabilities.
        var auc = BacktestMetrics.Auc(probabilities, boughtNothing);
        return new ChurnOutcome(
            outcomes,
            double.IsNaN(auc) ? null : auc,
            probabilities.Count == 0 ? double.NaN : probabilities.Average(),
            boughtNothing.Count == 0 ? double.NaN : (double)boughtNothing.Count(b => b) / boughtNothing.Count);
    }

    private static List<TopCustomerOutcome> Top(int[] order, IReadOnlyList<PastPrediction> customers, double[] predicted, Activity[] actual)
    {
        var top = new List<TopCustomerOutcome>(TopCustomerCount);
        for (var rank = 0; rank < Math.Min(TopCustomerCount, order.Length); rank++)
        {
            var i = order[rank];
            top.Add(new TopCustomerOutcome(customers[i].CustomerId, rank + 1, predicted[i], actual[i].Revenue, actual[i].Orders));
        }

        return top;
    }

    /// <summary>What one customer did in the covered period.</summary>
    private readonly record struct Activity(double Revenue, int PurchaseDays, int Orders)
    {
        /// <summary>The customer's days from <paramref name="from"/> to <paramref name="to"/>; orders are invoices when the file had them, purchase days otherwise.</summary>
        public static Activity In(ReadOnlySpan<CustomerDay> days, int from, int to, bool invoices)
        {
            double revenue = 0;
            int purchaseDays = 0, orders = 0;
            foreach (var day in days)
            {
                if (day.Day > to)
                {
                    break;
                }

                if (day.Day >= from)
                {
                    revenue += day.Revenue;
                    purchaseDays += day.Purchase ? 1 : 0;
                    orders += day.Orders;
                }
            }

            return new Activity(revenue, purchaseDays, invoices ? orders : purchaseDays);
        }
    }

    private struct GroupSum
    {
        public int Customers;
        public double Predicted;
        public double Actual;
        public int Bought;

        public void Add(double predicted, Activity actual)
        {
            Customers++;
            Predicted += predicted;
            Actual += actual.Revenue;
            Bought += actual.PurchaseDays > 0 ? 1 : 0;
        }

        public readonly TrackRecordGroup Group(string label) => new(label, Customers, Predicted, Actual, Bought);
    }
}
