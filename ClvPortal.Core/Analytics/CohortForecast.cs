using ClvPortal.Core.Features;
using ClvPortal.Core.Models;

namespace ClvPortal.Core.Analytics;

/// <summary>
/// What the models predicted for each customer, in the shape the cohort curves need: the headline CLV
/// over the horizon and the customer's history, so BG/NBD can say when within the horizon it is spent.
/// </summary>
/// <param name="Customers">Each customer's headline CLV and history, by customer id.</param>
/// <param name="Purchases">The all-data BG/NBD fit; null when none could be made (the CLV is then spread evenly over time).</param>
/// <param name="DaysPerUnit">Days in the unit of the customers' recency and T, as the fit used them.</param>
/// <param name="HorizonMonths">The prediction horizon, in months of <see cref="ProbabilisticClv.DaysPerMonth"/> days.</param>
public sealed record CohortForecast(
    IReadOnlyDictionary<string, CohortMember> Customers,
    BgNbdParameters? Purchases,
    double DaysPerUnit,
    int HorizonMonths)
{
    /// <summary>The forecast of a modeling run, for the customers whose features it used.</summary>
    public static CohortForecast? From(ModelingResult? modeling, IReadOnlyList<CustomerFeatures> customers, TimeUnit unit, int horizonMonths)
    {
        if (modeling is null || modeling.Predictions.Count == 0 || horizonMonths <= 0)
        {
            return null;
        }

        var clv = new Dictionary<string, double>(modeling.Predictions.Count, StringComparer.Ordinal);
        foreach (var prediction in modeling.Predictions)
        {
            clv[prediction.CustomerId] = prediction.HeadlineClv;
        }

        var outlook = new Dictionary<string, CohortMember>(clv.Count, StringComparer.Ordinal);
        foreach (var c in customers)
        {
            if (clv.TryGetValue(c.CustomerId, out var value) && double.IsFinite(value))
            {
                outlook[c.CustomerId] = new CohortMember(value, c.Frequency, c.Recency, c.T);
            }
        }

        return new CohortForecast(outlook, modeling.BgNbd, unit.DaysPerUnit(), horizonMonths);
    }
}

/// <summary>One customer's predicted revenue over the horizon (headline CLV) and their BG/NBD history (x, t_x, T in the fit's unit).</summary>
public readonly record struct CohortMember(double Clv, int Frequency, double Recency, double T);
