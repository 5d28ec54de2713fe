using System.Buffers;
using System.Globalization;
using ClvPortal.Core.Features;
using Microsoft.ML.OnnxRuntime;

namespace ClvPortal.Core.Models;

/// <summary>
/// An XGBoost CLV model exported to ONNX, scored by ONNX Runtime. Holds one <see cref="InferenceSession"/>
/// for its lifetime (keep one instance per model file, e.g. as a singleton); <see cref="Predict(IReadOnlyList{CustomerFeatures})"/>
/// is thread-safe because ONNX Runtime's <c>Run</c> is. The feature names, their order, the time unit and
/// the horizon come from the file's metadata, written by <see cref="XgbClvTrainer"/>.
/// </summary>
public sealed class OnnxClvModel : IDisposable
{
    /// <summary>Metadata keys written into the ONNX file.</summary>
    public static class MetadataKeys
    {
        public const string FeatureNames = "feature_names";
        public const string Objective = "objective";
        public const string TimeUnit = "time_unit";
        public const string HorizonDays = "horizon_days";
        public const string BaseScore = "base_score";
        public const string TrainedAt = "trained_at";
        public const string TrainingData = "training_data";
        public const string TrainingRows = "training_rows";
        public const string Rounds = "rounds";
        public const string XgboostVersion = "xgboost_version";
        public const string AverageOrderValue = "average_order_value";
    }

    // Large enough to keep ONNX Runtime's threads busy, small enough to bound the float buffer (~3 MB at 7 features).
    private const int BatchRows = 100_000;

    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly string outputName;

    private OnnxClvModel(InferenceSession session, string source)
    {
        this.session = session;
        Metadata = session.ModelMetadata.CustomMetadataMap;
        if (!Metadata.TryGetValue(MetadataKeys.FeatureNames, out var names) || string.IsNullOrWhiteSpace(names))
        {
            throw Problem($"The model {source} does not say which inputs it expects (no '{MetadataKeys.FeatureNames}' in its metadata).");
        }

        FeatureSet = ClvFeatureSet.FromNames(names.Split(','));
        if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count != 1)
        {
            throw Problem($"The model {source} has {session.InputMetadata.Count} inputs and {session.OutputMetadata.Count} outputs; a CLV model has one of each.");
        }

        var (input, inputMeta) = session.InputMetadata.First();
        var width = inputMeta.Dimensions is [_, var w] ? w : -1;
        if (inputMeta.ElementType != typeof(float) || width != FeatureSet.Count)
        {
            throw Problem($"The model {source} expects {DescribeInput(inputMeta)} but its metadata lists {FeatureSet.Count} features ({names}).");
        }

        inputName = input;
        outputName = session.OutputMetadata.Keys.First();
        Objective = Metadata.GetValueOrDefault(MetadataKeys.Objective, "unknown");
        TimeUnit = Metadata.GetValueOrDefault(MetadataKeys.TimeUnit) switch
        {
            null => TimeUnit.Days,
            var name when TimeUnits.Parse(name) is { } unit => unit,
            var other => throw Problem($"The model {source} measures time in '{other}', which ClvPortal does not know (days or weeks)."),
        };
        HorizonDays = double.TryParse(Metadata.GetValueOrDefault(MetadataKeys.HorizonDays), NumberStyles.Float, CultureInfo.InvariantCulture, out var horizon)
            ? horizon
            : double.NaN;
        AverageOrderValue = double.TryParse(Metadata.GetValueOrDefault(MetadataKeys.AverageOrderValue), NumberStyles.Float, CultureInfo.InvariantCulture, out var orderValue)
            ? orderValue
            : double.NaN;
    }

    /// <summary>The inputs in the order the model expects them.</summary>
    public ClvFeatureSet FeatureSet { get; }

    public IReadOnlyList<string> FeatureNames => FeatureSet.Names;

    /// <summary>The XGBoost objective the model was trained with (e.g. reg:tweedie).</summary>
    public string Objective { get; }

    /// <summary>The unit the model's duration features (recency, T, ...) are measured in.</summary>
    public TimeUnit TimeUnit { get; }

    /// <summary>The length of the window whose revenue the model predicts, in days (NaN when the file does not say).</summary>
    public double HorizonDays { get; }

    /// <summary>Everything in the file's metadata (training data, date, base score, ...).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The average order value of the data the model was trained on (NaN when the file does not say), to rescale it to another shop.</summary>
    public double AverageOrderValue { get; }

    /// <summary>
    /// Loads a model file; a missing, corrupt or foreign file (no feature list, features this version
    /// cannot compute, an input shape that disagrees with the list) is an <see cref="InputProblemException"/>.
    /// </summary>
    /// <param name="threads">Threads one scoring call uses; 0, the default, lets ONNX Runtime use one per core.</param>
    public static OnnxClvModel Load(string path, int threads = 0)
    {
        if (!File.Exists(path))
        {
            throw Problem($"The model file '{path}' does not exist.");
        }

        return FromBytes(File.ReadAllBytes(path), $"'{Path.GetFileName(path)}'", threads);
    }

    /// <summary>Loads a model from a stream (an upload, GridFS); see <see cref="Load(string, int)"/>.</summary>
    public static OnnxClvModel Load(Stream onnx, string source = "given", int threads = 0)
    {
        using var buffer = new MemoryStream();
        onnx.CopyTo(buffer);
        return FromBytes(buffer.ToArray(), source, threads);
    }

    /// <summary>Loads a model from the bytes of an ONNX file; see <see cref="Load(string, int)"/>.</summary>
    public static OnnxClvModel FromBytes(byte[] onnx, string source = "given", int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        InferenceSession session;
        try
        {
            // Jobs running side by side each get their share of the cores: one pool per core in every
            // session makes concurrent analyses fight over the same cores.
            using var sessionOptions = new SessionOptions { IntraOpNumThreads = threads };
            session = new InferenceSession(onnx, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw Problem($"The model {source} is not a valid ONNX file ({e.Message.Split('\n')[0]}).");
        }

        try
        {
            return new OnnxClvModel(session, source);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Predicted revenue over <see cref="HorizonDays"/> for each customer, in the input's order. The
    /// customers' durations are in <paramref name="customersUnit"/> and are converted to the model's unit.
    /// Negative predictions (possible with squared error) are clamped to 0: revenue cannot be negative.
    /// </summary>
    public double[] Predict(IReadOnlyList<CustomerFeatures> customers, TimeUnit customersUnit)
    {
        var durationScale = DaysPer(customersUnit) / DaysPer(TimeUnit);
        var columns = FeatureSet.Count;
        var predictions = new double[customers.Count];
        var buffer = ArrayPool<float>.Shared.Rent(Math.Min(customers.Count, BatchRows) * columns);
        try
        {
            for (var start = 0; start < customers.Count; start += BatchRows)
            {
                var rows = Math.Min(BatchRows, customers.Count - start);
                FeatureSet.Fill(customers, start, rows, buffer.AsSpan(0, rows * columns), durationScale);
                var scores = Score(buffer.AsMemory(0, rows * columns), rows);
                for (var i = 0; i < rows; i++)
                {
                    predictions[start + i] = Math.Max(0, scores[i]);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }

        return predictions;
    }

    /// <summary>Predicted revenue for customers whose durations are in the model's own <see cref="TimeUnit"/>.</summary>
    public double[] Predict(IReadOnlyList<CustomerFeatures> customers) => Predict(customers, TimeUnit);

    /// <summary>
    /// Raw model output for a row-major matrix in <see cref="FeatureNames"/> order (NaN = missing),
    /// unclamped; scored in batches of 100k rows.
    /// </summary>
    public float[] Predict(float[] rowMajor, int rows)
    {
        var columns = FeatureSet.Count;
        if (rows < 0 || rowMajor.Length != (long)rows * columns)
        {
            throw new ArgumentException($"Expected {rows} rows x {columns} features = {rows * columns} values, got {rowMajor.Length}.", nameof(rowMajor));
        }

        var predictions = new float[rows];
        for (var start = 0; start < rows; start += BatchRows)
        {
            var count = Math.Min(BatchRows, rows - start);
            Score(rowMajor.AsMemory(start * columns, count * columns), count).CopyTo(predictions.AsSpan(start));
        }

        return predictions;
    }

    public void Dispose() => session.Dispose();

    private float[] Score(Memory<float> rowMajor, int rows)
    {
        if (rows == 0)
        {
            return [];
        }

        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, rowMajor, [rows, FeatureSet.Count]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [input], [outputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static double DaysPer(TimeUnit unit) => unit.DaysPerUnit();

    private static string DescribeInput(NodeMetadata input) =>
        $"a {input.ElementType.Name} input of shape [{string.Join(", ", input.Dimensions)}]";

    private static InputProblemException Problem(string message) => new(new InputProblem(
        message,
        "Check the model path in the settings, or retrain the model with the train-model command; the analysis falls back to its other models meanwhile."));
}
