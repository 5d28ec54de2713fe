using ClvPortal.Core;
using ClvPortal.Core.Features;
using ClvPortal.Core.Models;
using Google.Protobuf;
using Onnx;

namespace ClvPortal.Tests.Core.Models;

/// <summary>One small trained model shared by the tests below (training takes a moment).</summary>
public sealed class SmallModelFixture : IDisposable
{
    public SmallModelFixture() =>
        Result = XgbClvTrainer.Train(SyntheticCustomers.Generate(2_000, seed: 7), new XgbTrainingOptions { Rounds = 50 });

    public XgbTrainingResult Result { get; }

    public void Dispose() => Result.Dispose();
}

[Trait("Category", "Integration")]
public sealed class OnnxClvModelTests(SmallModelFixture fixture) : IClassFixture<SmallModelFixture>
{
    [Fact]
    public void Load_MissingFile_SaysTheFileDoesNotExist()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-model-{Guid.NewGuid():N}.onnx");

        var problem = Assert.Throws<InputProblemException>(() => OnnxClvModel.Load(path)).Problem;

        Assert.Contains("does not exist", problem.Message);
        Assert.Contains("train-model", problem.WhatToDo);
    }

    [Fact]
    public void Load_CorruptFile_SaysItIsNotAValidModel()
    {
        var path = Path.Combine(Path.GetTempPath(), $"corrupt-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, fixture.Result.Onnx.AsSpan(0, fixture.Result.Onnx.Length / 2).ToArray());
        try
        {
            var problem = Assert.Throws<InputProblemException>(() => OnnxClvModel.Load(path)).Problem;

            Assert.Contains("not a valid ONNX file", problem.Message);
            Assert.Contains(Path.GetFileName(path), problem.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromBytes_ModelExpectingAnUnknownFeature_IsRefusedNamingIt()
    {
        var names = string.Join(',', fixture.Result.FeatureNames.Take(fixture.Result.FeatureNames.Count - 1).Append("basket_size"));
        var onnx = WithMetadata(OnnxClvModel.MetadataKeys.FeatureNames, names);

        var problem = Assert.Throws<InputProblemException>(() => OnnxClvModel.FromBytes(onnx)).Problem;

        Assert.Contains("'basket_size'", problem.Message);
    }

    [Fact]
    public void FromBytes_FeatureListShorterThanTheModelInput_IsRefused()
    {
        var onnx = WithMetadata(OnnxClvModel.MetadataKeys.FeatureNames, "frequency,recency,T");

        var problem = Assert.Throws<InputProblemException>(() => OnnxClvModel.FromBytes(onnx)).Problem;

        Assert.Contains($"[-1, {fixture.Result.FeatureNames.Count}]", problem.Message);
        Assert.Contains("3 features", problem.Message);
    }

    [Fact]
    public void FromBytes_NoFeatureList_IsRefused()
    {
        var model = ModelProto.Parser.ParseFrom(fixture.Result.Onnx);
        model.MetadataProps.Clear();

        var problem = Assert.Throws<InputProblemException>(() => OnnxClvModel.FromBytes(model.ToByteArray())).Problem;

        Assert.Contains("does not say which inputs", problem.Message);
    }

    [Fact]
    public void FromBytes_TrainedModel_KnowsItsFeaturesObjectiveAndHorizon()
    {
        using var model = OnnxClvModel.FromBytes(fixture.Result.Onnx);

        Assert.Equal(ClvFeatureSet.Default.Names, model.FeatureNames);
        Assert.Equal("reg:tweedie", model.Objective);
        Assert.Equal(365, model.HorizonDays);
        Assert.Equal(TimeUnit.Days, model.TimeUnit);
    }

    [Fact]
    public void Predict_CustomersMeasuredInWeeks_ScoreAsTheSameCustomersInDays()
    {
        var inDays = SyntheticCustomers.Generate(300, seed: 8);
        var inWeeks = inDays.Select(c => c with { Recency = c.Recency / 7, T = c.T / 7 }).ToList();

        var fromDays = fixture.Result.Model.Predict(inDays, TimeUnit.Days);
        var fromWeeks = fixture.Result.Model.Predict(inWeeks, TimeUnit.Weeks);

        for (var i = 0; i < fromDays.Length; i++)
        {
            Assert.Equal(fromDays[i], fromWeeks[i], 1e-3 * Math.Max(1, fromDays[i]));
        }
    }

    [Fact]
    public void Predict_InfiniteFeature_ScoresLikeAMissingValue()
    {
        var customer = SyntheticCustomers.Generate(1, seed: 9)[0];

        var scores = fixture.Result.Model.Predict(
            [customer with { MonetaryValue = double.PositiveInfinity }, customer with { MonetaryValue = double.NaN }]);

        Assert.Equal(scores[1], scores[0]);
        Assert.True(double.IsFinite(scores[0]));
    }

    [Fact]
    public void Predict_SquaredErrorModel_NeverPredictsNegativeRevenue()
    {
        // Squared error learns net returns (negative holdout revenue) and can predict below zero for
        // customers who look like returners; a predicted future value cannot be negative.
        var customers = SyntheticCustomers.Generate(3_000, seed: 10)
            .Select(c => c.Frequency == 0 ? c with { HoldoutRevenue = -50 } : c).ToList();
        using var result = XgbClvTrainer.Train(customers, new XgbTrainingOptions { Objective = "reg:squarederror", Rounds = 50 });

        var raw = result.Model.Predict(result.Model.FeatureSet.ToMatrix(customers), customers.Count);
        var clamped = result.Model.Predict(customers);

        Assert.Contains(raw, r => r < 0);
        Assert.All(clamped, c => Assert.True(c >= 0));
    }

    [Fact]
    public void Predict_MoreRowsThanOneBatch_ScoresEveryRowLikeItsOwnSingleRowCall()
    {
        // 100k rows per ONNX Runtime call: rows after the first batch must not be shifted or dropped.
        // (ONNX Runtime sums a single row's trees in parallel, in another order: equal to float rounding.)
        var customers = SyntheticCustomers.Generate(1_000, seed: 17);
        var features = fixture.Result.Model.FeatureSet;
        var one = features.ToMatrix(customers);
        const int rows = 100_000 + 1_000;
        var tiled = new float[rows * features.Count];
        for (var start = 0; start < tiled.Length; start += one.Length)
        {
            one.AsSpan(0, Math.Min(one.Length, tiled.Length - start)).CopyTo(tiled.AsSpan(start));
        }

        var scores = fixture.Result.Model.Predict(tiled, rows);

        foreach (var row in new[] { 0, 99_999, 100_000, 100_537, rows - 1 })
        {
            var single = fixture.Result.Model.Predict(one.AsSpan(row % 1_000 * features.Count, features.Count).ToArray(), 1);
            Assert.Equal(single[0], scores[row], 1e-4 * Math.Max(1, Math.Abs(single[0])));
        }
    }

    [Fact]
    public void Predict_NoCustomers_ReturnsNoScores() => Assert.Empty(fixture.Result.Model.Predict([]));

    private byte[] WithMetadata(string key, string value)
    {
        var model = ModelProto.Parser.ParseFrom(fixture.Result.Onnx);
        model.MetadataProps.Single(p => p.Key == key).Value = value;
        return model.ToByteArray();
    }
}
