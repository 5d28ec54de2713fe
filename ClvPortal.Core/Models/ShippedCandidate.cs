namespace ClvPortal.Core.Models;

/// <summary>
/// The XGBoost model shipped with the app, which learned from another shop: it predicts only when none of
/// the models listed before it could be fitted on this shop's own data. Its predictions are scaled from the
/// window it was trained for to the horizon, and from its training shop's average order value to this
/// shop's (a 1997 CD shop's $37 orders say little of another shop's basket).
/// </summary>
internal sealed class ShippedCandidate(OnnxClvModel shipped) : IClvCandidate
{
    public string Name => ClvModeling.ShippedModel;

    public double[]? Predict(ForecastCut cut, IReadOnlyDictionary<string, double[]> earlier)
    {
        if (earlier.Count > 0)
        {
            return null;
        }

        var (customers, horizon, options) = (cut.Customers, cut.Horizon, cut.Options);
        var horizonDays = horizon.Units * options.DaysPerUnit;
        var scale = double.IsFinite(shipped.HorizonDays) && shipped.HorizonDays > 0 ? horizonDays / shipped.HorizonDays : 1;
        var orders = customers.Sum(c => (double)c.Orders);
        var shopOrderValue = orders > 0 ? customers.Sum(c => Math.Max(c.TotalRevenue, 0)) / orders : double.NaN;
        if (double.IsFinite(shipped.AverageOrderValue) && shipped.AverageOrderValue > 0 && double.IsFinite(shopOrderValue) && shopOrderValue > 0)
        {
            scale *= shopOrderValue / shipped.AverageOrderValue;
        }

        try
        {
            var predicted = shipped.Predict(customers, options.TimeUnit);
            var discount = ClvModeling.EvenSpreadDiscount(horizon.Months, horizon.MonthlyDiscountRate);
            return [.. predicted.Select(p => p * scale * discount)];
        }
        catch (InputProblemException e)
        {
            cut.Notes.Add($"The shipped XGBoost model could not score these customers: {e.Problem}");
            return null;
        }
    }
}
