using System.Globalization;

namespace ClvPortal.Tests.Core.Models;

/// <summary>
/// The CDNOW cohort summarised the way Fader, Hardie &amp; Lee (2005) did: purchases on the same day
/// are one transaction, time in weeks (days / 7), calibration 1997-01-01 to 1997-09-30 (so a
/// customer who started on 1 January has T = 272 / 7 = 38.86), holdout to 1998-06-30 (39 weeks).
/// A small reader of its own so the model tests do not depend on the ingest code.
/// </summary>
internal sealed record CdnowCohort(int[] Frequency, double[] Recency, double[] Age, double[] MonetaryValue, double[] HoldoutRevenue)
{
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
        var i = 0;
        foreach (var byDay in days.Values)
        {
            var calibration = byDay.Where(d => d.Key <= CalibrationEnd).ToList();
            var first = calibration[0].Key;
            x[i] = calibration.Count - 1;
            tx[i] = (calibration[^1].Key.DayNumber - first.DayNumber) / 7.0;
            t[i] = (CalibrationEnd.DayNumber - first.DayNumber) / 7.0;
            m[i] = x[i] > 0 ? calibration.Skip(1).Average(d => d.Value) : 0;
            holdout[i] = byDay.Where(d => d.Key > CalibrationEnd && d.Key <= ObservationEnd).Sum(d => d.Value);
            i++;
        }

        return new CdnowCohort(x, tx, t, m, holdout);
    }
}
