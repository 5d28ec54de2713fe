using ClvPortal.Core.Features;

namespace ClvPortal.Core.Models;

/// <summary>A fitted BG/NBD, the Gamma-Gamma spend model when it could be fitted, and the order value used without it.</summary>
internal sealed record ProbabilisticFit(BgNbdParameters Purchases, GammaGammaParameters? Spend, double FallbackValue, int Customers, int RepeatBuyers)
{
    /// <summary>Fits both models on <paramref name="customers"/>; null, with a note naming <paramref name="window"/>, when BG/NBD cannot be fitted.</summary>
    public static ProbabilisticFit? TryFit(IReadOnlyList<CustomerFeatures> customers, string window, int minimumSpendCustomers, List<string> notes)
    {
        if (customers.Count < 2 || customers.All(c => c.Frequency == 0))
        {
            notes.Add(customers.Count < 2
                ? $"There are too few customers in {window} to fit BG/NBD; it was not used there."
                : $"Nobody bought more than once in {window}, so BG/NBD cannot learn how often customers return; it was not used there.");
            return null;
        }

        BgNbdParameters purchases;
        try
        {
            purchases = BgNbdModel.Fit(customers).Parameters;
        }
        catch (ArgumentException e)
        {
            notes.Add($"BG/NBD could not be fitted on {window}: {e.Message}");
            return null;
        }

        if (!double.IsFinite(purchases.R + purchases.Alpha + purchases.A + purchases.B) || Math.Abs(purchases.A - 1) < 1e-9
            || customers.Any(c => !double.IsFinite(purchases.ConditionalExpectedPurchases(c.T + 1, c.Frequency, c.Recency, c.T))))
        {
            notes.Add($"BG/NBD did not reach a usable fit on {window}; it was not used there.");
            return null;
        }

        var orders = customers.Sum(c => (double)c.Orders);
        var fallback = orders > 0 ? Math.Max(customers.Sum(c => c.TotalRevenue) / orders, 0) : 0;
        var repeatBuyers = customers.Count(c => GammaGammaModel.IsUsable(c.Frequency, c.MonetaryValue));
        if (repeatBuyers is > 0 && repeatBuyers < minimumSpendCustomers)
        {
            notes.Add($"Only {repeatBuyers:N0} customers in {window} bought again with positive value, too few to fit Gamma-Gamma (it needs {minimumSpendCustomers:N0}); the expected order value is the average order value instead.");
            return new ProbabilisticFit(purchases, null, fallback, customers.Count, repeatBuyers);
        }

        var spend = GammaGammaModel.Fit([.. customers.Select(c => c.Frequency)], [.. customers.Select(c => c.MonetaryValue)])?.Parameters;
        if (spend is null)
        {
            notes.Add($"No customer in {window} has repeat purchases with positive value, so Gamma-Gamma could not be fitted; the expected order value is the average order value instead.");
        }
        else if (spend.Q <= 1)
        {
            notes.Add($"Gamma-Gamma on {window} found spend too uneven for a finite average (q ≤ 1); the expected order value is the average order value instead.");
            spend = null;
        }

        return new ProbabilisticFit(purchases, spend, fallback, customers.Count, repeatBuyers);
    }

    /// <summary>
    /// E[M | x, m] from Gamma-Gamma; a negative mean (repeat purchases netted out by returns)
    /// counts as 0 so returns lower the value without making it negative.
    /// </summary>
    public double ExpectedValue(CustomerFeatures c) =>
        Spend?.ConditionalExpectedAverageValue(c.Frequency, Math.Max(c.MonetaryValue, 0)) ?? FallbackValue;

    public double ExpectedPurchases(CustomerFeatures c, double units) =>
        Purchases.ConditionalExpectedPurchases(units, c.Frequency, c.Recency, c.T);

    public double Clv(CustomerFeatures c, double horizonUnits, int months, double monthlyDiscountRate, double unitsPerMonth) =>
        monthlyDiscountRate == 0
            ? ExpectedValue(c) * ExpectedPurchases(c, horizonUnits)
            : ProbabilisticClv.CustomerLifetimeValue(Purchases, ExpectedValue(c), c.Frequency, c.Recency, c.T, months, unitsPerMonth, monthlyDiscountRate);

    /// <summary>The customer as XGBoost sees them: their features plus this fit's view of the next <paramref name="windowUnits"/>.</summary>
    public CustomerFeatures WithSignals(CustomerFeatures c, double windowUnits) => c with
    {
        Signals = new ModelSignals(ExpectedPurchases(c, windowUnits), Purchases.ProbabilityAlive(c.Frequency, c.Recency, c.T), ExpectedValue(c)),
    };
}
