using System.Globalization;
using ClvPortal.Core;
using ClvPortal.Core.Features;
using ClvPortal.Core.Ingest;
using ClvPortal.Core.Models;

namespace ClvPortal.Web.Cli;

/// <summary>
/// <c>train-model &lt;transactions&gt; --calibration-end yyyy-MM-dd [--holdout-days N] [--objective O] [--out models]</c>:
/// trains the shipped XGBoost model on a transactions file and writes clv.onnx, its model card and its parity file.
/// The shipped model was made with <c>train-model CDNOW_master.txt --calibration-end 1997-09-30 --out models</c>.
/// </summary>
public static class TrainModelCommand
{
    public const string Help = "Train the shipped XGBoost model (clv.onnx + model card + parity file) from a transactions file.";

    private const string Usage =
        "Usage: train-model <transactions file> --calibration-end yyyy-MM-dd [--holdout-days N] [--objective reg:tweedie] [--out models]";

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            stderr.WriteLine(Usage);
            return Task.FromResult(2);
        }

        var path = args[0];
        DateOnly? calibrationEnd = null;
        int? holdoutDays = null;
        var output = "models";
        var options = new XgbTrainingOptions();
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--calibration-end" when DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end):
                    calibrationEnd = end;
                    break;
                case "--holdout-days" when int.TryParse(value, out var days) && days > 0:
                    holdoutDays = days;
                    break;
                case "--objective" when value is not null:
                    options = options with { Objective = value };
                    break;
                case "--out" when value is not null:
                    output = value;
                    break;
                default:
                    stderr.WriteLine($"'{args[i]}' is not understood here (or its value is missing or malformed). {Usage}");
                    return Task.FromResult(2);
            }

            i++;
        }

        if (calibrationEnd is null)
        {
            stderr.WriteLine($"--calibration-end is required. {Usage}");
            return Task.FromResult(2);
        }

        if (XgbClvTrainer.NativeLibraryProblem() is { } missing)
        {
            stderr.WriteLine(missing);
            return Task.FromResult(1);
        }

        try
        {
            var purchases = ReadPurchases(path);
            var calibrationStart = purchases.Min(p => p.Date);
            var lastDate = purchases.Max(p => p.Date);

            // Default holdout: as long as the calibration window (CDNOW: 39 weeks each), cut at the data's end.
            var calibrationDays = calibrationEnd.Value.DayNumber - calibrationStart.DayNumber + 1;
            var holdoutEnd = calibrationEnd.Value.AddDays(holdoutDays ?? calibrationDays);
            if (holdoutEnd > lastDate)
            {
                holdoutEnd = lastDate;
            }

            if (holdoutEnd <= calibrationEnd.Value)
            {
                stderr.WriteLine($"The data ends on {lastDate:yyyy-MM-dd}, so there is no holdout after {calibrationEnd:yyyy-MM-dd}. Choose an earlier --calibration-end.");
                return Task.FromResult(1);
            }

            var window = new TrainingWindow(Path.GetFileName(path), calibrationStart, calibrationEnd.Value, holdoutEnd);
            var customers = CalibrationFeatures(purchases, window);
            stdout.WriteLine($"{purchases.Count:N0} purchases, {customers.Count:N0} customers in calibration {window.CalibrationStart:yyyy-MM-dd}..{window.CalibrationEnd:yyyy-MM-dd}, holdout to {window.HoldoutEnd:yyyy-MM-dd} ({window.HorizonDays:0} days)");

            var files = ShippedModelBuilder.Build(customers, options, window);
            Directory.CreateDirectory(output);
            File.WriteAllBytes(Path.Combine(output, ShippedModelBuilder.OnnxFileName), files.Onnx);
            File.WriteAllText(Path.Combine(output, ShippedModelBuilder.ModelCardFileName), files.ModelCard);
            File.WriteAllText(Path.Combine(output, ShippedModelBuilder.ParityFileName), files.ParityCsv);
            foreach (var backtest in new[] { files.CrossValidated, files.Baseline })
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{backtest.Model,-18} Gini {backtest.NormalizedGini:F3}  Spearman {backtest.Spearman:F3}  decile MAPE {backtest.DecileMape:P1}  MAE {backtest.MeanAbsoluteError:F2}  total error {backtest.TotalRevenueError:P1}"));
            }

            stdout.WriteLine($"Wrote {ShippedModelBuilder.OnnxFileName}, {ShippedModelBuilder.ModelCardFileName} and {ShippedModelBuilder.ParityFileName} to {Path.GetFullPath(output)}");
            return Task.FromResult(0);
        }
        catch (InputProblemException e)
        {
            stderr.WriteLine(e.Problem.ToString());
            return Task.FromResult(1);
        }
    }

    private sealed record Purchase(string CustomerId, DateOnly Date, double Amount, string? InvoiceId);

    private static List<Purchase> ReadPurchases(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputProblemException(new InputProblem($"The file '{Path.GetFullPath(path)}' does not exist.", "Check the path of the transactions file (relative paths start in the current directory)."));
        }

        using var stream = File.OpenRead(path);
        using var file = TransactionFile.Open(stream, path, new IngestOptions());

        // Rows the reader could not fully read are skipped: a model file is built from clean purchases only.
        var purchases = file.ReadRows()
            .Where(r => r.Flaws == RowFlaws.None && r is { CustomerId: not null, Date: not null, Amount: not null })
            .Select(r => new Purchase(r.CustomerId!, DateOnly.FromDateTime(r.Date!.Value), r.Amount!.Value, r.InvoiceId))
            .ToList();
        return purchases.Count > 0
            ? purchases
            : throw new InputProblemException(new InputProblem($"'{Path.GetFileName(path)}' has no readable purchases.", "Check that it has customer, date and amount columns."));
    }

    /// <summary>
    /// Calibration features in days and holdout revenue, in the <c>lifetimes</c> definitions (same-day
    /// purchases merged; frequency = repeat days; monetary value = mean of repeat days), for customers
    /// whose first purchase falls in the calibration window.
    /// </summary>
    private static List<CustomerFeatures> CalibrationFeatures(List<Purchase> purchases, TrainingWindow window)
    {
        var customers = new List<CustomerFeatures>();
        foreach (var history in purchases.GroupBy(p => p.CustomerId))
        {
            var calibration = history.Where(p => p.Date >= window.CalibrationStart && p.Date <= window.CalibrationEnd).ToList();
            if (calibration.Count == 0 || history.Min(p => p.Date) < window.CalibrationStart)
            {
                continue;
            }

            var days = calibration.GroupBy(p => p.Date).Select(d => (Date: d.Key, Value: d.Sum(p => p.Amount))).OrderBy(d => d.Date).ToList();
            var first = days[0].Date;
            var last = days[^1].Date;
            var frequency = days.Count - 1;
            var holdout = history.Where(p => p.Date > window.CalibrationEnd && p.Date <= window.HoldoutEnd).ToList();
            var orders = calibration.Any(p => p.InvoiceId is not null) ? calibration.Select(p => p.InvoiceId).Distinct().Count() : calibration.Count;
            customers.Add(new CustomerFeatures(
                history.Key,
                frequency,
                last.DayNumber - first.DayNumber,
                window.CalibrationEnd.DayNumber - first.DayNumber,
                frequency == 0 ? 0 : days.Skip(1).Average(d => d.Value),
                calibration.Sum(p => p.Amount),
                orders,
                first,
                last,
                holdout.Select(p => p.Date).Distinct().Count(),
                holdout.Sum(p => p.Amount)));
        }

        return customers;
    }
}
