using ClvPortal.Core.Features;

namespace ClvPortal.Core.Models;

/// <summary>
/// Every customer's purchases, able to summarise them as of any day: what the models need to cut the
/// data at a date, fit, predict the following weeks and compare with what customers really spent.
/// </summary>
public sealed class CustomerHistory
{
    private readonly Func<DateOnly, DateOnly?, IReadOnlyList<CustomerFeatures>> _summarise;

    /// <param name="summarise">Features as of the first day (inclusive); with a second day, holdout targets up to it.</param>
    public CustomerHistory(DateOnly firstDate, DateOnly observationEnd, TimeUnit timeUnit, Func<DateOnly, DateOnly?, IReadOnlyList<CustomerFeatures>> summarise)
    {
        ArgumentNullException.ThrowIfNull(summarise);
        FirstDate = firstDate;
        ObservationEnd = observationEnd;
        TimeUnit = timeUnit;
        _summarise = summarise;
    }

    /// <summary>A history over a <see cref="CustomerLedger"/>, up to <paramref name="observationEnd"/> (default: its last day).</summary>
    public static CustomerHistory FromLedger(CustomerLedger ledger, TimeUnit timeUnit, DateOnly? observationEnd = null)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        if (ledger.FirstDate is not { } first || ledger.LastDate is not { } last)
        {
            throw new ArgumentException("The ledger holds no transactions.", nameof(ledger));
        }

        var end = observationEnd ?? last;
        return new CustomerHistory(first, end, timeUnit, (asOf, holdoutEnd) => RfmCalculator.Compute(ledger, holdoutEnd is { } h
            ? new FeatureOptions { TimeUnit = timeUnit, ObservationEnd = h, CalibrationEnd = asOf }
            : new FeatureOptions { TimeUnit = timeUnit, ObservationEnd = asOf }));
    }

    /// <summary>The first day of any purchase.</summary>
    public DateOnly FirstDate { get; }

    /// <summary>The last day of the data: the forward predictions start after it.</summary>
    public DateOnly ObservationEnd { get; }

    public TimeUnit TimeUnit { get; }

    /// <summary>Every customer who bought by <paramref name="asOf"/>, summarised as of that day.</summary>
    public IReadOnlyList<CustomerFeatures> AsOf(DateOnly asOf) => _summarise(asOf, null);

    /// <summary>Customers who bought by <paramref name="cut"/>, summarised as of it, with what they spent after it up to <paramref name="end"/>.</summary>
    public IReadOnlyList<CustomerFeatures> WithHoldout(DateOnly cut, DateOnly end) => _summarise(cut, end);
}
