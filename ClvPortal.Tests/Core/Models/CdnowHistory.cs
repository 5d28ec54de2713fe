using System.Globalization;
using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Features;
using ClvPortal.Core.Models;

namespace ClvPortal.Tests.Core.Models;

/// <summary>
/// CDNOW's transactions as a <see cref="CustomerHistory"/> cut at a date, and what really happened after
/// the cut, read straight from the file so the oracle does not go through the code under test.
/// </summary>
internal static class CdnowHistory
{
    private static readonly Lazy<(string Id, DateOnly Date, double Dollars)[]> Rows = new(() =>
    [
        .. File.ReadLines(TestData.CdnowPath)
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 4 && f[1].All(char.IsAsciiDigit))
            .Select(f => (f[0], DateOnly.ParseExact(f[1], "yyyyMMdd", CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture))),
    ]);

    /// <summary>
    /// The master ids of the 2,357 customers in Fader and Hardie's 1/10 sample (CDNOW_sample.txt, whose
    /// first column names each sample customer's id in the master file): the data behind the published parameters.
    /// </summary>
    public static IReadOnlySet<string> SampleIds { get; } = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Core", "Models", "Data", "cdnow-sample-ids.txt"))
        .Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);

    public static CustomerHistory Until(DateOnly end, TimeUnit unit, Func<string, bool>? customers = null)
    {
        var ledger = new CustomerLedger();
        foreach (var (id, date, dollars) in Rows.Value.Where(r => r.Date <= end && (customers?.Invoke(r.Id) ?? true)))
        {
            ledger.Add(new Transaction(id, date.ToDateTime(TimeOnly.MinValue), dollars, null, null));
        }

        return CustomerHistory.FromLedger(ledger, unit, end);
    }

    /// <summary>Each customer's dollars in (<paramref name="after"/>, <paramref name="until"/>].</summary>
    public static Dictionary<string, double> SpentBetween(DateOnly after, DateOnly until) =>
        Rows.Value.Where(r => r.Date > after && r.Date <= until).GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.Sum(r => r.Dollars), StringComparer.Ordinal);
}
