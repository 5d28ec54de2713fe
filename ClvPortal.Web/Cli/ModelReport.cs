using System.Globalization;
using ClvPortal.Core.Models;

namespace ClvPortal.Web.Cli;

/// <summary>How the command line shows a <see cref="ModelingResult"/>: the backtest table, fitted parameters, headline and notes.</summary>
public static class ModelReport
{
    public static void Print(TextWriter stdout, ModelingResult modeling)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(modeling);
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine();
        if (modeling.Backtests.Count > 0)
        {
            stdout.WriteLine("Backtest on the holdout (Gini and Spearman: higher is better; errors: lower is better):");
            stdout.WriteLine($"  {"model",-18} {"gini",7} {"spearman",9} {"decile MAPE",12} {"MAE",10} {"total error",12}");
            foreach (var b in modeling.Backtests)
            {
                stdout.WriteLine(string.Create(c, $"  {b.Model,-18} {b.NormalizedGini,7:F3} {b.Spearman,9:F3} {b.DecileMape,12:P1} {b.MeanAbsoluteError,10:F2} {b.TotalRevenueError,12:P1}"));
            }
        }

        if (modeling.BgNbd is { } bg)
        {
            stdout.WriteLine(string.Create(c, $"BG/NBD (all data): r = {bg.R:F4}, alpha = {bg.Alpha:F4}, a = {bg.A:F4}, b = {bg.B:F4}"));
        }

        if (modeling.GammaGamma is { } gg)
        {
            stdout.WriteLine(string.Create(c, $"Gamma-Gamma (all data): p = {gg.P:F4}, q = {gg.Q:F4}, v = {gg.V:F4}"));
        }

        var total = modeling.Predictions.Sum(p => p.HeadlineClv);
        stdout.WriteLine(string.Create(c, $"Headline: {modeling.HeadlineModel}. {modeling.HeadlineReason}"));
        stdout.WriteLine(string.Create(c, $"Predicted CLV over {modeling.HorizonDays / ProbabilisticClv.DaysPerMonth:F0} months: {total:N2} from {modeling.Predictions.Count:N0} customers; {modeling.Predictions.Count(p => p.ChurnRisk):N0} flagged as churn risks."));
        foreach (var note in modeling.Notes)
        {
            stdout.WriteLine($"Note: {note}");
        }
    }

    /// <summary>The tier as customers.csv and reports spell it.</summary>
    public static string TierName(ValueTier tier) => tier switch
    {
        ValueTier.Top1 => "top 1%",
        ValueTier.Top1To5 => "top 1-5%",
        ValueTier.Top5To10 => "top 5-10%",
        ValueTier.Top10To25 => "top 10-25%",
        ValueTier.Top25To50 => "top 25-50%",
        _ => "bottom 50%",
    };
}
