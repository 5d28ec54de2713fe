using System.Globalization;
using ClvPortal.Core.Cleaning;

namespace ClvPortal.Tests.Core.Features;

/// <summary>
/// The CDNOW master file as transactions, read directly so these tests depend on the feature
/// definitions alone (columns: customer id, yyyymmdd, number of CDs, dollar value).
/// </summary>
internal static class Cdnow
{
    public static List<Transaction> Load()
    {
        var transactions = new List<Transaction>(70_000);
        foreach (var line in File.ReadLines(TestData.CdnowPath))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 4 || !char.IsAsciiDigit(fields[1][0]))
            {
                continue;
            }

            var date = DateTime.ParseExact(fields[1], "yyyyMMdd", CultureInfo.InvariantCulture);
            transactions.Add(new Transaction(fields[0], date, double.Parse(fields[3], CultureInfo.InvariantCulture), null, null));
        }

        return transactions;
    }
}
