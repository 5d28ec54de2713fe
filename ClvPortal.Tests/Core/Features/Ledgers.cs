using ClvPortal.Core.Cleaning;
using ClvPortal.Core.Features;

namespace ClvPortal.Tests.Core.Features;

/// <summary>Ledgers for tests that build their transactions by hand.</summary>
internal static class Ledgers
{
    /// <summary>A ledger holding <paramref name="transactions"/>, added in the order given.</summary>
    public static CustomerLedger Of(IEnumerable<Transaction> transactions)
    {
        var ledger = new CustomerLedger();
        foreach (var transaction in transactions)
        {
            ledger.Add(transaction);
        }

        return ledger;
    }
}
