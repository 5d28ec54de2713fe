using ClvPortal.Core.Features;
using ClvPortal.Core.Models;

namespace ClvPortal.Tests.Core.Models;

/// <summary>The model in models/ is what short datasets are scored with: it must load, and score like the XGBoost model it came from.</summary>
[Trait("Category", "Unit")]
public sealed class ShippedModelTests
{
    private static readonly string ModelsDirectory = FindModelsDirectory();

    /// <summary>The shipped clv.onnx in the repository's models folder.</summary>
    internal static string ShippedModelPath => Path.Combine(ModelsDirectory, "clv.onnx");

    [Fact]
    public void ShippedModel_ParityFileRows_ScoreLikeXgboostInOnnxRuntime()
    {
        using var model = OnnxClvModel.Load(Path.Combine(ModelsDirectory, ShippedModelBuilder.OnnxFileName));
        using var reader = File.OpenText(Path.Combine(ModelsDirectory, ShippedModelBuilder.ParityFileName));
        var (names, rows) = ShippedModelBuilder.ReadParityCsv(reader);

        var scores = model.Predict(rows.SelectMany(r => r.Features).ToArray(), rows.Count);

        Assert.Equal(model.FeatureNames, names);
        Assert.True(rows.Count >= 500);
        Assert.Contains(rows, r => r.Features.Any(float.IsNaN));
        for (var i = 0; i < rows.Count; i++)
        {
            var expected = rows[i].Expected;
            Assert.True(Math.Abs(scores[i] - expected) <= 1e-4 * Math.Max(1, Math.Abs(expected)), $"row {i + 2}: onnx {scores[i]} vs xgboost {expected}");
        }
    }

    [Fact]
    public void ShippedModel_Metadata_DescribesACdnowModelInDaysOver39Weeks()
    {
        using var model = OnnxClvModel.Load(Path.Combine(ModelsDirectory, ShippedModelBuilder.OnnxFileName));

        Assert.Equal(TimeUnit.Days, model.TimeUnit);
        Assert.Equal(39 * 7, model.HorizonDays);
        Assert.Equal(ClvFeatureSet.Default.Names, model.FeatureNames);
        Assert.Contains("CDNOW", model.Metadata[OnnxClvModel.MetadataKeys.TrainingData], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ShippedModel_ModelCard_StatesFeatureOrderObjectiveAndHoldoutMetrics()
    {
        var card = File.ReadAllText(Path.Combine(ModelsDirectory, ShippedModelBuilder.ModelCardFileName));
        using var model = OnnxClvModel.Load(Path.Combine(ModelsDirectory, ShippedModelBuilder.OnnxFileName));

        for (var i = 0; i < model.FeatureNames.Count; i++)
        {
            Assert.Contains($"| {i} | `{model.FeatureNames[i]}` |", card);
        }

        Assert.Contains($"`{model.Objective}`", card);
        Assert.Contains("Normalized Gini", card);
        Assert.Contains("Base score", card);
    }

    [Fact]
    public void ShippedModel_LoyalCustomer_IsWorthMoreThanAOneTimeBuyer()
    {
        // The shipped model is a fallback for real shops: its ranking must make business sense.
        using var model = OnnxClvModel.Load(Path.Combine(ModelsDirectory, ShippedModelBuilder.OnnxFileName));
        var start = new DateOnly(1997, 1, 1);
        var oneTime = new CustomerFeatures("once", 0, 0, 250, 0, 15, 1, start, start);
        var loyal = new CustomerFeatures("loyal", 8, 240, 250, 40, 360, 9, start, start.AddDays(240));

        var scores = model.Predict([oneTime, loyal]);

        Assert.True(scores[1] > 5 * scores[0], $"loyal {scores[1]:F2} vs one-time {scores[0]:F2}");
    }

    private static string FindModelsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ClvPortal.sln")))
            {
                return Path.Combine(directory.FullName, "models");
            }
        }

        throw new InvalidOperationException("The repository's models folder was not found above the test binaries.");
    }
}
