using ClvPortal.Core.Features;
using ClvPortal.Core.Models;

namespace ClvPortal.Core.Analytics;

/// <summary>One bar of the predicted-CLV histogram: the customers whose CLV lies from <paramref name="From"/> up to <paramref name="To"/>.</summary>
public sealed record ClvBin(double From, double To, int Customers);

/// <summary>One value tier: its customers, their predicted CLV and revenue to date, and the likely range of the CLV (null when untested).</summary>
public sealed record TierTotal(ValueTier Tier, int Customers, double Clv, double Revenue, ValueRange? ClvRange);

/// <summary>The dashboard's charts of predicted value, computed once per analysis from the models' predictions.</summary>
public static class ClvCharts
{
    /// <summary>Bins of the CLV histogram up to the 99th percentile; the top 1% share one more bin so outliers do not squash the chart.</summary>
    public const int HistogramBins = 20;

    /// <summary>
    /// <see cref="HistogramBins"/> equal-width bins from the lowest value to the 99th percentile (each from its lower
    /// edge up to, not including, its upper one; the last includes the 99th percentile itself), plus one bin for the
    /// values above it up to the maximum when there are any. One bin when every value is the same; NaN and infinite
    /// values are left out.
    /// </summary>
    public static IReadOnlyList<ClvBin> Histogram(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
        {
            return [];
        }

        var low = sorted[0];
        var max = sorted[^1];
        var high = sorted[(int)Math.Floor(0.99 * (sorted.Length - 1))];
        if (high <= low)
        {
            high = max;
        }

        if (high <= low)
        {
            return [new ClvBin(low, max, sorted.Length)];
        }

        var width = (high - low) / HistogramBins;
        var counts = new int[HistogramBins + 1];
        foreach (var value in sorted)
        {
            var bin = value > high ? HistogramBins : Math.Min((int)((value - low) / width), HistogramBins - 1);
            counts[bin]++;
        }

        var bins = Enumerable.Range(0, HistogramBins)
            .Select(i => new ClvBin(low + (i * width), i == HistogramBins - 1 ? high : low + ((i + 1) * width), counts[i]))
            .ToList();
        if (counts[HistogramBins] > 0)
        {
            bins.Add(new ClvBin(high, max, counts[HistogramBins]));
        }

        return bins;
    }

    /// <summary>
    /// Every value tier, top first (empty ones included, so the chart keeps its shape): how many customers the models
    /// put in it, the predicted CLV they hold, the revenue they brought so far (0 for a prediction without a customer
    /// of its id), and the likely range of the tier's CLV from <paramref name="ranges"/>.
    /// </summary>
    public static IReadOnlyList<TierTotal> Tiers(
        IReadOnlyList<CustomerFeatures> customers, IReadOnlyList<CustomerPrediction> predictions, IReadOnlyDictionary<ValueTier, ValueRange>? ranges = null)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(predictions);
        var revenue = customers.ToDictionary(c => c.CustomerId, c => c.TotalRevenue, StringComparer.Ordinal);
        var byTier = predictions.ToLookup(p => p.Tier);
        return [.. Enum.GetValues<ValueTier>().Select(tier => new TierTotal(
            tier,
            byTier[tier].Count(),
            byTier[tier].Sum(p => p.HeadlineClv),
            byTier[tier].Sum(p => revenue.GetValueOrDefault(p.CustomerId)),
            ranges?.GetValueOrDefault(tier)))];
    }
}
