using System.Globalization;
using ClvPortal.Core.Features;

namespace ClvPortal.Tests.Core.Models;

/// <summary>
/// The CDNOW cohort summarised the way Fader, Hardie &amp; Lee (2005) did: purchases on the same day
/// are one transaction, time in weeks (days / 7), calibration 1997-01-01 to 1997-09-30 (so a
/// customer who started on 1 January has T = 272 / 7 = 38.86), holdout to 1998-06-30 (39 weeks).
/// A small reader of its own so the model tests do not depend on the ingest code.
/// </summary>
internal sealed record CdnowCohort(
    int[] Frequency, double[] Recency, double[] Age, double[] MonetaryValue, double[] HoldoutRevenue,
    IReadOnlyList<CustomerFeatures> Calibration, IReadOnlyList<CustomerFeatures> Everything)
{
    /// <summary>The holdout window in weeks: 1997-10-01 to 1998-06-30 is 273 days.</summary>
    public static double HoldoutWeeks => (ObservationEnd.DayNumber - CalibrationEnd.DayNumber) / 7.0;

    public static readonly DateOnly CalibrationEnd = new(1997, 9, 30);
    public static readonly DateOnly ObservationEnd = new(1998, 6, 30);

    private static readonly Lazy<CdnowCohort> Cached = new(Load);

    public static CdnowCohort Full => Cached.Value;

    private static CdnowCohort Load()
    {
        // customer -> day -> dollars (same-day purchases merged)
        var days = new Dictionary<string, SortedDictionary<DateOnly, double>>();
        foreach (var line in File.ReadLines(TestData.CdnowPath))
        {
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || !DateOnly.TryParseExact(fields[1], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                continue;
            }

            if (!days.TryGetValue(fields[0], out var byDay))
            {
                days[fields[0]] = byDay = [];
            }

            byDay[date] = byDay.GetValueOrDefault(date) + double.Parse(fields[3], CultureInfo.InvariantCulture);
        }

        var n = days.Count;
        var (x, tx, t, m, holdout) = (new int[n], new double[n], new double[n], new double[n], new double[n]);
        var calibrationFeatures = new List<CustomerFeatures>(n);
        var everything = new List<CustomerFeatures>(n);
        var i = 0;
        foreach (var (id, byDay) in days)
        {
            var calibration = byDay.Where(d => d.Key <= CalibrationEnd).ToList();
            var first = calibration[0].Key;
            x[i] = calibration.Count - 1;
            tx[i] = (calibration[^1].Key.DayNumber - first.DayNumber) / 7.0;
            t[i] = (CalibrationEnd.DayNumber - first.DayNumber) / 7.0;
            m[i] = x[i] > 0 ? calibration.Skip(1).Average(d => d.Value) : 0;
            holdout[i] = byDay.Where(d => d.Key > CalibrationEnd && d.Key <= ObservationEnd).Sum(d => d.Value);
            var holdoutPurchases = byDay.Count(d => d.Key > CalibrationEnd && d.Key <= ObservationEnd);
            calibrationFeatures.Add(new CustomerFeatures(
                id, x[i], tx[i], t[i], m[i], calibration.Sum(d => d.Value), calibration.Count, first, calibration[^1].Key, holdoutPurchases, holdout[i]));
            var all = byDay.Where(d => d.Key <= ObservationEnd).ToList();
            everything.Add(new CustomerFeatures(
                id, all.Count - 1, (all[^1].Key.DayNumber - first.DayNumber) / 7.0, (ObservationEnd.DayNumber - first.DayNumber) / 7.0,
                all.Count > 1 ? all.Skip(1).Average(d => d.Value) : 0, all.Sum(d => d.Value), all.Count, first, all[^1].Key));
            i++;
        }

        return new CdnowCohort(x, tx, t, m, holdout, calibrationFeatures, everything);
    }
}
