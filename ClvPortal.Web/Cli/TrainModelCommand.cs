using System.Globalization;
using ClvPortal.Core;
using ClvPortal.Core.Features;
using ClvPortal.Core.Models;
using ClvPortal.Core.Pipeline;

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
            if (!File.Exists(path))
            {
                stderr.WriteLine($"The file '{Path.GetFullPath(path)}' does not exist. Check the path (relative paths start in the current directory).");
                return Task.FromResult(1);
            }

            // The analysis pipeline reads and cleans the file and builds the customer ledger, exactly as for an upload.
            using var stream = File.OpenRead(path);
            var outcome = ClvPipeline.Run(stream, path, new PipelineOptions { CalibrationEnd = calibrationEnd, RunModels = false });
            if (outcome.Problem is { } problem)
            {
                stderr.WriteLine(problem.ToString());
                return Task.FromResult(1);
            }

            var ledger = outcome.Result!.Ledger!;
            var calibrationStart = ledger.FirstDate!.Value;
            var lastDate = ledger.LastDate!.Value;

            // Default holdout: as long as the calibration window (CDNOW: 39 weeks each), cut at the data's end.
            var calibrationDays = calibrationEnd.Value.DayNumber - calibrationStart.DayNumber + 1;
            var holdoutEnd = calibrationEnd.Value.AddDays(holdoutDays ?? calibrationDays);
            if (holdoutEnd > lastDate)
            {
                holdoutEnd = lastDate;
            }

            var window = new TrainingWindow(Path.GetFileName(path), calibrationStart, calibrationEnd.Value, holdoutEnd);
            var customers = RfmCalculator.Compute(ledger, new FeatureOptions
            {
                TimeUnit = TimeUnit.Days,
                CalibrationEnd = window.CalibrationEnd,
                ObservationEnd = window.HoldoutEnd,
            });
            stdout.WriteLine($"{outcome.Result.Cleaning.RowsKept:N0} transactions kept, {customers.Count:N0} customers in calibration {window.CalibrationStart:yyyy-MM-dd}..{window.CalibrationEnd:yyyy-MM-dd}, holdout to {window.HoldoutEnd:yyyy-MM-dd} ({window.HorizonDays:0} days)");

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
}
