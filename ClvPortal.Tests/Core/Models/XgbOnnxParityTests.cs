using ClvPortal.Core.Models;
using ClvPortal.Core.Models.Xgboost;
using Xunit.Abstractions;

namespace ClvPortal.Tests.Core.Models;

/// <summary>
/// The scores users see come from ONNX Runtime, the model is trained by XGBoost: the two must agree.
/// Tolerance: |onnx - xgboost| &lt;= 1e-4 * max(1, |xgboost|) (float32 sums in a different order differ ~1e-6).
/// </summary>
[Trait("Category", "Integration")]
public sealed class XgbOnnxParityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData("reg:squarederror")]
    [InlineData("reg:tweedie")]
    [InlineData("count:poisson")]
    public void Train_TwelveThousandCustomersWithMissingValues_OnnxMatchesXgboostInSample(string objective)
    {
        var customers = SyntheticCustomers.Generate(12_000, seed: 3, missingShare: 0.1);
        using var result = XgbClvTrainer.Train(customers, new XgbTrainingOptions { Objective = objective, Rounds = 100, MaxDepth = 6 });

        var onnx = result.Model.Predict(result.Model.FeatureSet.ToMatrix(customers), customers.Count);

        AssertParity(result.InSamplePredictions, onnx);
        Assert.Contains(customers, c => double.IsNaN(c.Recency));
    }

    [Theory]
    [InlineData("reg:squarederror")]
    [InlineData("reg:tweedie")]
    public void Predict_UnseenCustomersAndMissingValues_OnnxMatchesReloadedXgboost(string objective)
    {
        var training = SyntheticCustomers.Generate(10_000, seed: 4, missingShare: 0.05);
        using var result = XgbClvTrainer.Train(training, new XgbTrainingOptions { Objective = objective });

        // Fresh customers, a third of them with missing values, some rows entirely missing.
        var scoring = SyntheticCustomers.Generate(15_000, seed: 5, missingShare: 0.3);
        var features = result.Model.FeatureSet;
        var matrix = features.ToMatrix(scoring);
        for (var row = 0; row < 500; row++)
        {
            matrix.AsSpan(row * features.Count, features.Count).Fill(float.NaN);
        }

        using var booster = XgbBooster.LoadJson(System.Text.Encoding.UTF8.GetBytes(result.BoosterJson));
        var xgboost = booster.Predict(matrix, scoring.Count, features.Count);
        var onnx = result.Model.Predict(matrix, scoring.Count);

        AssertParity(xgboost, onnx);
    }

    [Fact]
    public void Train_Tweedie_TopDecileHoldsAFarLargerShareOfRevenue()
    {
        // A model that agrees with XGBoost but learned nothing would pass parity; this guards the training itself:
        // the 10% of customers ranked highest must bring well over 10% of the holdout revenue.
        var customers = SyntheticCustomers.Generate(10_000, seed: 6);
        using var result = XgbClvTrainer.Train(customers, new XgbTrainingOptions());

        var predictions = result.Model.Predict(customers);
        var ranked = customers.Select((c, i) => (Revenue: c.HoldoutRevenue!.Value, Predicted: predictions[i]))
            .OrderByDescending(p => p.Predicted).ToList();
        var topShare = ranked.Take(ranked.Count / 10).Sum(p => p.Revenue) / ranked.Sum(p => p.Revenue);

        Assert.True(topShare > 0.25, $"top decile share {topShare:P1}");
    }

    private void AssertParity(float[] xgboost, float[] onnx)
    {
        Assert.Equal(xgboost.Length, onnx.Length);
        var worst = 0.0;
        var worstRow = -1;
        for (var i = 0; i < xgboost.Length; i++)
        {
            var relative = Math.Abs(onnx[i] - (double)xgboost[i]) / Math.Max(1, Math.Abs((double)xgboost[i]));
            if (relative > worst)
            {
                (worst, worstRow) = (relative, i);
            }
        }

        output.WriteLine($"{xgboost.Length} rows, worst relative difference {worst:E2}");
        Assert.True(worst <= Tolerance, $"row {worstRow}: onnx {onnx[Math.Max(worstRow, 0)]} vs xgboost {xgboost[Math.Max(worstRow, 0)]} (relative {worst:E2})");
    }
}
