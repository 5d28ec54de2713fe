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
        "train-model <transactions file> --calibration-end yyyy-MM-dd [--holdout-days N] [--objective reg:tweedie] [--out models]";

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArguments.Parse(args).AllowOnly("calibration-end", "holdout-days", "objective", "out");
        var parsedCalibrationEnd = parsed.Date("calibration-end");
        var holdoutDays = (int?)parsed.Integer("holdout-days");
        var output = parsed.Text("out") ?? "models";
        var options = new XgbTrainingOptions();
        if (parsed.Text("objective") is { } objective)
        {
            options = options with { Objective = objective };
        }

        if (parsed.Positionals.Count != 1)
        {
            parsed.Errors.Add("Give one transactions file.");
        }

        if (!parsed.Has("calibration-end"))
        {
            parsed.Errors.Add("--calibration-end is required.");
        }

        if (holdoutDays is 0)
        {
            parsed.Errors.Add("--holdout-days must be at least 1.");
        }

        if (parsed.ReportErrors(stderr, Usage))
        {
            return Task.FromResult(2);
        }

        var path = parsed.Positionals[0];
        var calibrationEnd = parsedCalibrationEnd!.Value; // a missing or malformed date was reported above
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
            var calibrationDays = calibrationEnd.DayNumber - calibrationStart.DayNumber + 1;
            var holdoutEnd = calibrationEnd.AddDays(holdoutDays ?? calibrationDays);
            if (holdoutEnd > lastDate)
            {
                holdoutEnd = lastDate;
            }

            var window = new TrainingWindow(Path.GetFileName(path), calibrationStart, calibrationEnd, holdoutEnd);
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
