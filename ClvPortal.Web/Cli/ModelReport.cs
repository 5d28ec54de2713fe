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
            var cut = modeling.Calibration is { } split ? string.Create(c, $" (data cut at {split.CalibrationEnd:yyyy-MM-dd}, predicted to {split.HoldoutEnd:yyyy-MM-dd} by the same steps as the headline)") : "";
            stdout.WriteLine($"Out-of-time backtest{cut}; Gini and Spearman: higher is better; errors: lower is better; chance: the Gini random ranking reaches:");
            stdout.WriteLine($"  {"model",-18} {"gini",7} {"chance",7} {"spearman",9} {"decile MAPE",12} {"MAE",10} {"total error",12}");
            foreach (var b in modeling.Backtests)
            {
                stdout.WriteLine(string.Create(c, $"  {b.Model,-18} {b.NormalizedGini,7:F3} {b.ChanceGini,7:F3} {b.Spearman,9:F3} {b.DecileMape,12:P1} {b.MeanAbsoluteError,10:F2} {b.TotalRevenueError,12:P1}"));
            }
        }

        if (modeling.Calibration is { BgNbd: { } cbg } calibration)
        {
            stdout.WriteLine(string.Create(c, $"BG/NBD (calibration, {calibration.Customers:N0} customers to {calibration.CalibrationEnd:yyyy-MM-dd}): r = {cbg.R:F4}, alpha = {cbg.Alpha:F4}, a = {cbg.A:F4}, b = {cbg.B:F4}"));
            if (calibration.GammaGamma is { } cgg)
            {
                stdout.WriteLine(string.Create(c, $"Gamma-Gamma (calibration, {calibration.RepeatBuyers:N0} repeat buyers): p = {cgg.P:F4}, q = {cgg.Q:F4}, v = {cgg.V:F4}"));
            }

            stdout.WriteLine(string.Create(c, $"Churn AUC on the backtest (no purchase after the cut): {calibration.ChurnAuc:F3}"));
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
        var range = modeling.HeadlineRange is { } r ? string.Create(c, $" (likely {r.Low:N0} to {r.High:N0})") : "";
        stdout.WriteLine(string.Create(c, $"Predicted CLV over {modeling.HorizonDays / ProbabilisticClv.DaysPerMonth:F0} months: {total:N2}{range} from {modeling.Predictions.Count:N0} customers; {modeling.Predictions.Count(p => p.ChurnRisk):N0} at high churn risk."));
        stdout.WriteLine($"Reliability: {modeling.Reliability}. {modeling.ReliabilityMessage}");
        foreach (var missing in modeling.MissingData)
        {
            stdout.WriteLine($"Missing for a backtest: {missing}");
        }
        foreach (var note in modeling.Notes)
        {
            stdout.WriteLine($"Note: {note}");
        }
    }
}
