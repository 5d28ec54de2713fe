using System.Globalization;
using System.Text.Json;
using ClvPortal.Core.Models;
using ClvPortal.Web.Data;
using MongoDB.Driver;

namespace ClvPortal.Web.Results;

/// <summary>
/// What the results dashboard shows: the precomputed analysis document, the upload it belongs to, and the
/// most valuable customers at risk of churning (one indexed query). Shared by the owner's results page and
/// the public share view.
/// </summary>
public sealed record Dashboard(AnalysisResultDocument Result, UploadDocument? Upload, IReadOnlyList<CustomerResultDocument> AtRisk)
{
    public const int AtRiskShown = 10;

    /// <summary>Loads one owner's dashboard, or null when there is none (missing, not finished, or someone else's).</summary>
    public static async Task<Dashboard?> LoadAsync(PortalDb db, Guid uploadId, string ownerId, CancellationToken cancellationToken)
    {
        var result = await db.AnalysisResults.Find(Owned.Result(ownerId, uploadId)).FirstOrDefaultAsync(cancellationToken);
        if (result is null)
        {
            return null;
        }

        var upload = await db.Uploads.Find(Owned.Upload(ownerId, uploadId)).FirstOrDefaultAsync(cancellationToken);

        // Walks the (uploadId, headlineClv) index from the top and stops at the tenth at-risk customer.
        var atRisk = result.ChurnRiskCustomers == 0
            ? []
            : await db.CustomerResults.Find(Owned.Customers(ownerId, uploadId, c => c.ChurnRisk))
                .Sort(Builders<CustomerResultDocument>.Sort.Descending(c => c.HeadlineClv))
                .Limit(AtRiskShown)
                .ToListAsync(cancellationToken);
        return new Dashboard(result, upload, atRisk);
    }

    public double HorizonMonths => Result.HorizonDays / ProbabilisticClv.DaysPerMonth;

    public double AverageClv => Result.Customers == 0 ? 0 : Result.HeadlineClvTotal / Result.Customers;

    public double ChurnRiskShare => Result.Customers == 0 ? 0 : (double)Result.ChurnRiskCustomers / Result.Customers;

    public string FileName => Upload?.FileName ?? "Uploaded file";

    /// <summary>Cohort LTV as the page shows it; null for results stored before cohorts were computed, or without customers.</summary>
    public CohortView? Cohorts => Result.Aggregates.Cohorts is { Cohorts.Count: > 0 } table ? new CohortView(table, Result.Aggregates.Period) : null;

    public ModelBacktest? HeadlineBacktest =>
        Result.Backtests.FirstOrDefault(b => string.Equals(b.Model, Result.HeadlineModel, StringComparison.OrdinalIgnoreCase));

    /// <summary>The chart data island read by wwwroot/js/results.js. System.Text.Json escapes &lt; and &gt;, so it is safe inside a script element.</summary>
    public string ChartJson(NumberFormats formats)
    {
        var r = Result;
        var monthly = r.Aggregates.Monthly;
        var data = new
        {
            currency = formats.CurrencySymbol,
            monthly = new
            {
                labels = monthly.Select(m => new DateTime(m.Year, m.Month, 1, 0, 0, 0, DateTimeKind.Utc).ToString("MMM yyyy", CultureInfo.InvariantCulture)),
                revenue = monthly.Select(m => Math.Round(m.Revenue, 2)),
                orders = monthly.Select(m => m.Orders),
                aov = monthly.Select(m => Math.Round(m.AverageOrderValue, 2)),
                newCustomers = monthly.Select(m => m.NewCustomers),
                returningCustomers = monthly.Select(m => m.ReturningCustomers),
                partial = monthly.Select(m => r.Aggregates.Period?.IsPartial(m.Year, m.Month) ?? false),
            },
            cohorts = Cohorts?.ChartData(),
            topCustomers = new
            {
                labels = r.Aggregates.TopCustomers.Select(c => c.CustomerId),
                revenue = r.Aggregates.TopCustomers.Select(c => Math.Round(c.Revenue, 2)),
            },
            clvDistribution = new
            {
                labels = r.ClvDistribution.Select(b => formats.Money(b.From) + "–" + formats.Money(b.To)),
                customers = r.ClvDistribution.Select(b => b.Customers),
            },
            tiers = new
            {
                labels = r.Tiers.Select(t => ValueTiers.Label(t.Tier)),
                customers = r.Tiers.Select(t => t.Customers),
                clv = r.Tiers.Select(t => Math.Round(t.Clv, 2)),
            },
            churn = new { atRisk = r.ChurnRiskCustomers, active = Math.Max(0, r.Customers - r.ChurnRiskCustomers) },
            backtests = r.Backtests.Select(b => new
            {
                model = ModelName(b.Model),
                deciles = b.Deciles.Select(d => d.Decile),
                predicted = b.Deciles.Select(d => Math.Round(d.MeanPredicted, 2)),
                actual = b.Deciles.Select(d => Math.Round(d.MeanActual, 2)),
            }),
        };
        return JsonSerializer.Serialize(data);
    }

    /// <summary>The reliability as a short label and a CSS modifier for its banner.</summary>
    public static (string Label, string Css) ReliabilityLabel(ForecastReliability reliability) => reliability switch
    {
        ForecastReliability.Tested => ("Tested on your data", "ok"),
        ForecastReliability.PoorlyCalibrated => ("Use with care", "warn"),
        ForecastReliability.NoSignal => ("No better than chance", "bad"),
        _ => ("Not tested", "warn"),
    };

    public static string ModelName(string? model) => model?.ToLowerInvariant() switch
    {
        null or "" => "—",
        ClvModeling.XgboostModel => "XGBoost",
        ClvModeling.ShippedModel => "XGBoost (pre-trained model)",
        ClvModeling.ProbabilisticModel => "BG/NBD + Gamma-Gamma",
        ClvModeling.EnsembleModel => "Average of XGBoost and BG/NBD + Gamma-Gamma",
        ClvModeling.BaselineModel => "Yardstick (past repeat spending)",
        _ => model,
    };
}
