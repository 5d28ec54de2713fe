using ClvPortal.Core.Features;

namespace ClvPortal.Core.Models;

/// <summary>
/// The per-customer fields marketing tools show (Klaviyo, GA4 predictive audiences, Shopify), from a customer's
/// history and the models' predictions. One definition for the portal's pages, its exports and the command line.
/// </summary>
/// <param name="HistoricClv">Net revenue so far: purchases less returns and cancellations, over the whole file.</param>
/// <param name="PredictedClv">The headline prediction of revenue over the horizon; null when no model ran.</param>
/// <param name="TotalClv">Historic plus predicted; null when no model ran.</param>
/// <param name="PredictedOrders">BG/NBD's expected purchases over the horizon; null when no model ran.</param>
/// <param name="ExpectedNextOrder">See <see cref="NextOrder"/>; null when no order is expected within the horizon.</param>
/// <param name="AverageDaysBetweenOrders">First to last purchase day over the gaps between purchase days; null for one-day customers.</param>
/// <param name="AverageOrderValue">Net revenue per order.</param>
/// <param name="DaysSinceLastOrder">From the last purchase to the last day of the data (the observation end), not to today.</param>
public sealed record CustomerOutlook(
    double HistoricClv,
    double? PredictedClv,
    double? TotalClv,
    double? PredictedOrders,
    DateOnly? ExpectedNextOrder,
    double? AverageDaysBetweenOrders,
    double AverageOrderValue,
    int DaysSinceLastOrder)
{
    /// <summary>The outlook of one customer whose features run to <paramref name="observationEnd"/>.</summary>
    /// <param name="horizonDays">The prediction horizon in days (the predictions' window).</param>
    public static CustomerOutlook Of(CustomerFeatures customer, CustomerPrediction? prediction, DateOnly observationEnd, double horizonDays)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var predicted = prediction?.HeadlineClv;
        return new CustomerOutlook(
            customer.TotalRevenue,
            predicted,
            customer.TotalRevenue + predicted,
            prediction?.ExpectedPurchases,
            prediction is null ? null : NextOrder(observationEnd, horizonDays, prediction.ExpectedPurchases, prediction.ChurnLevel),
            AverageGap(customer.FirstPurchase, customer.LastPurchase, customer.PurchaseDays),
            customer.Orders > 0 ? customer.TotalRevenue / customer.Orders : 0,
            observationEnd.DayNumber - customer.LastPurchase.DayNumber);
    }

    /// <summary>Days from the first to the last purchase day over the gaps between purchase days; null with fewer than two purchase days.</summary>
    public static double? AverageGap(DateOnly firstPurchase, DateOnly lastPurchase, int purchaseDays) =>
        purchaseDays < 2 ? null : (double)(lastPurchase.DayNumber - firstPurchase.DayNumber) / (purchaseDays - 1);

    /// <summary>
    /// When the customer's next order is expected: the end of the data plus the average wait at the rate the
    /// forecast expects, horizon ÷ predicted orders. BG/NBD models a live customer's purchases as a Poisson process,
    /// which has no memory, so the wait from any day is the same, whenever the last order was. Null ("no order
    /// expected") when the customer is at high churn risk, or when fewer than one order is expected within the
    /// horizon: at that rate the next order would fall after it, and a date would only invite a wrong promise.
    /// </summary>
    public static DateOnly? NextOrder(DateOnly observationEnd, double horizonDays, double predictedOrders, ChurnLevel? churn)
    {
        if (churn == ChurnLevel.High || !double.IsFinite(predictedOrders) || predictedOrders < 1 || !double.IsFinite(horizonDays) || horizonDays <= 0)
        {
            return null;
        }

        return observationEnd.AddDays((int)Math.Ceiling(horizonDays / predictedOrders));
    }
}
