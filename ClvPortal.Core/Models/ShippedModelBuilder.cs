using System.Globalization;
using System.Text;
using ClvPortal.Core.Features;
using ClvPortal.Core.Models.Xgboost;

namespace ClvPortal.Core.Models;

/// <summary>Where the training data of a shipped model came from, for its model card.</summary>
/// <param name="DataName">The file or data set ("CDNOW_master.txt").</param>
public sealed record TrainingWindow(string DataName, DateOnly CalibrationStart, DateOnly CalibrationEnd, DateOnly HoldoutEnd)
{
    public double HorizonDays => HoldoutEnd.DayNumber - CalibrationEnd.DayNumber;

    public double CalibrationDays => CalibrationEnd.DayNumber - CalibrationStart.DayNumber + 1;
}

/// <summary>
/// The three files of a shipped model: the ONNX model, its model card (markdown) and its parity file
/// (sample rows with XGBoost's own predictions, which a test re-scores with ONNX Runtime).
/// </summary>
/// <param name="CrossValidated">The model's holdout metrics, each customer predicted by a model trained on the other half.</param>
/// <param name="Baseline">The naive baseline's holdout metrics (the portal's repeat-spend baseline).</param>
public sealed record ShippedModelFiles(byte[] Onnx, string ModelCard, string ParityCsv, ModelBacktest CrossValidated, ModelBacktest Baseline);

/// <summary>
/// Trains the model that ships in <c>models/</c> for datasets too short to train their own, and writes
/// what a reader needs to trust it. The holdout metrics are honest out-of-sample figures: the final
/// model learns from every customer's holdout revenue, so its metrics are measured by 2-fold
/// cross-validation by customer instead (train on one half, predict the other half's holdout).
/// </summary>
public static class ShippedModelBuilder
{
    public const string OnnxFileName = "clv.onnx";
    public const string ModelCardFileName = "clv.model-card.md";
    public const string ParityFileName = "clv.parity.csv";
    public const string PredictionColumn = "xgboost_prediction";

    private const int ParityRows = 500;
    private const int ParityRowsWithMissingValues = 50;

    public static ShippedModelFiles Build(IReadOnlyList<CustomerFeatures> customers, XgbTrainingOptions options, TrainingWindow window)
    {
        options = options with
        {
            HorizonDays = window.HorizonDays,
            TrainingData = $"{window.DataName}, calibration {window.CalibrationStart:yyyy-MM-dd}..{window.CalibrationEnd:yyyy-MM-dd}, " +
                $"holdout to {window.HoldoutEnd:yyyy-MM-dd}",
            // Stored in the file so the portal can rescale predictions to another shop's order values.
            AverageOrderValue = customers.Sum(c => c.TotalRevenue) / Math.Max(1, customers.Sum(c => (double)c.Orders)),
        };

        var actual = customers.Select(c => c.HoldoutRevenue ?? 0).ToArray();
        var outOfFold = new double[customers.Count];
        for (var fold = 0; fold < 2; fold++)
        {
            var train = customers.Where((_, i) => i % 2 != fold).ToList();
            var heldOut = Enumerable.Range(0, customers.Count).Where(i => i % 2 == fold).ToList();
            using var foldModel = XgbClvTrainer.Train(train, options);
            var predictions = foldModel.Model.Predict(heldOut.Select(i => customers[i]).ToList(), options.TimeUnit);
            for (var k = 0; k < heldOut.Count; k++)
            {
                outOfFold[heldOut[k]] = predictions[k];
            }
        }

        var crossValidated = BacktestMetrics.Evaluate("xgboost (2-fold)", outOfFold, actual);
        // The same naive baseline the portal's backtest uses, so the card and the results page agree.
        var horizonMonths = (int)Math.Round(window.HorizonDays / ProbabilisticClv.DaysPerMonth);
        var baseline = BacktestMetrics.Evaluate(
            ClvModeling.BaselineModel, BaselineCandidate.Predict(customers, new Horizon(window.HorizonDays, horizonMonths, 0), new ModelingOptions { TimeUnit = options.TimeUnit }), actual);

        using var final = XgbClvTrainer.Train(customers, options);
        var parity = ParityCsv(final, customers);
        var card = ModelCard(final, options, window, customers, crossValidated, baseline);
        return new ShippedModelFiles(final.Onnx, card, parity, crossValidated, baseline);
    }

    /// <summary>Reads a parity file: the feature names, each row's features (NaN = missing) and XGBoost's prediction.</summary>
    public static (IReadOnlyList<string> FeatureNames, IReadOnlyList<(float[] Features, float Expected)> Rows) ReadParityCsv(TextReader reader)
    {
        var header = (reader.ReadLine() ?? "").Split(',');
        var names = header[1..^1];
        var rows = new List<(float[], float)>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var fields = line.Split(',');
            var values = fields[1..].Select(f => float.Parse(f, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            rows.Add((values[..^1], values[^1]));
        }

        return (names, rows);
    }

    private static string ParityCsv(XgbTrainingResult result, IReadOnlyList<CustomerFeatures> customers)
    {
        // Evenly spread customers, plus copies with missing values so the file also checks NaN routing.
        var step = Math.Max(1, customers.Count / ParityRows);
        var sample = Enumerable.Range(0, Math.Min(ParityRows, customers.Count)).Select(i => customers[i * step]).ToList();
        var withMissing = sample.Take(ParityRowsWithMissingValues)
            .Select((c, i) => i % 2 == 0 ? c with { MonetaryValue = double.NaN } : c with { Recency = double.NaN, T = double.NaN });
        sample.AddRange(withMissing);

        var features = result.Model.FeatureSet;
        var matrix = features.ToMatrix(sample);
        using var booster = XgbBooster.LoadJson(Encoding.UTF8.GetBytes(result.BoosterJson));
        var predictions = booster.Predict(matrix, sample.Count, features.Count);

        var csv = new StringBuilder();
        csv.AppendJoin(',', ["customer_id", .. features.Names, PredictionColumn]).Append('\n');
        for (var row = 0; row < sample.Count; row++)
        {
            csv.Append(sample[row].CustomerId.Replace(',', ' '));
            for (var column = 0; column < features.Count; column++)
            {
                csv.Append(',').Append(Format(matrix[row * features.Count + column]));
            }

            csv.Append(',').Append(Format(predictions[row])).Append('\n');
        }

        return csv.ToString();
    }

    // Shortest text that parses back to the same float, so the file holds exactly what XGBoost saw.
    private static string Format(float value) => float.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string ModelCard(
        XgbTrainingResult result, XgbTrainingOptions options, TrainingWindow window, IReadOnlyList<CustomerFeatures> customers,
        ModelBacktest crossValidated, ModelBacktest baseline)
    {
        var inv = CultureInfo.InvariantCulture;
        var card = new StringBuilder();
        card.Append(inv, $"""
            # Model card: clv.onnx

            The XGBoost CLV model ClvPortal uses for datasets too short to train their own. It predicts each
            customer's revenue over the next **{window.HorizonDays:0} days** from their purchase history.
            Produced by `train-model` (see the README); regenerate it rather than editing these files.

            ## Inputs

            One float tensor `features` of shape `[N, {result.FeatureNames.Count}]`, columns in this order (durations in **{options.TimeUnit.Name()}**;
            NaN = missing, routed down each tree's learned default branch):

            | # | Name | Meaning |
            |---|------|---------|

            """);
        var index = 0;
        foreach (var feature in result.Model.FeatureSet.Features)
        {
            card.Append(inv, $"| {index++} | `{feature.Name}` | {feature.Description} |\n");
        }

        card.Append(inv, $"""

            The order is also stored in the file's metadata (`feature_names`), which `OnnxClvModel` reads.
            Output: `prediction`, shape `[N, 1]`, predicted revenue in the data's currency.

            ## Training

            | | |
            |---|---|
            | Data | {window.DataName}: {customers.Count:N0} customers first seen in the calibration window |
            | Calibration (features) | {window.CalibrationStart:yyyy-MM-dd} to {window.CalibrationEnd:yyyy-MM-dd} ({window.CalibrationDays:0} days) |
            | Holdout (target) | {window.CalibrationEnd.AddDays(1):yyyy-MM-dd} to {window.HoldoutEnd:yyyy-MM-dd} ({window.HorizonDays:0} days), revenue per customer |
            | Objective | `{result.Objective}`{(result.Objective == "reg:tweedie" ? $" (variance power {options.TweedieVariancePower.ToString(inv)}; log link, so the graph ends in `Exp`)" : "")} |
            | Base score | {result.BaseScore.ToString("R", inv)} (mean holdout revenue) |
            | Trees | {options.Rounds} rounds, max depth {options.MaxDepth}, eta {options.LearningRate.ToString(inv)}, min child weight {options.MinChildWeight.ToString(inv)}, subsample {options.Subsample.ToString(inv)}, seed {options.Seed}, `tree_method=hist` |
            | Library | XGBoost {result.XgboostVersion} (native C API), exported to ONNX `ai.onnx.ml.TreeEnsembleRegressor` (opset ml 3, default 17) |
            | Trained | {DateTime.UtcNow:yyyy-MM-dd} |

            ## Holdout metrics

            Out-of-sample: each customer is predicted by a model trained on the other half of the customers
            (2-fold by customer), against their actual holdout revenue. The baseline is each customer's calibration
            revenue per day since their first purchase, times the {window.HorizonDays:0}-day horizon (as in the portal's backtest).

            | Model | Normalized Gini | Spearman | Decile MAPE | MAE | Total revenue error |
            |---|---|---|---|---|---|

            """);
        foreach (var backtest in new[] { crossValidated, baseline })
        {
            card.Append(inv, $"| {backtest.Model} | {backtest.NormalizedGini:F3} | {backtest.Spearman:F3} | {backtest.DecileMape:P1} | {backtest.MeanAbsoluteError:F2} | {backtest.TotalRevenueError:+0.0%;-0.0%} |\n");
        }

        card.Append(inv, $"""

            ## Parity

            `clv.parity.csv` holds {ParityRows + ParityRowsWithMissingValues} rows (the last {ParityRowsWithMissingValues} with missing values) and XGBoost's own
            prediction for each; a test scores them with ONNX Runtime and requires
            |onnx - xgboost| <= 1e-4 x max(1, |xgboost|).

            ## Limits

            CDNOW is one music retailer's 1997-98 cohort. For another shop the model ranks customers by the
            same recency/frequency/value logic, but its absolute amounts carry CDNOW's order values: trust the
            ranking more than the currency figures, and prefer a model trained on your own data when the
            history is long enough for a backtest.

            """);
        return card.ToString();
    }
}
