using System.Globalization;
using System.Runtime.InteropServices;

namespace ClvPortal.Core.Models.Xgboost;

/// <summary>A dense row-major float matrix handed to XGBoost; <see cref="float.NaN"/> marks a missing value.</summary>
internal sealed class XgbDMatrix : IDisposable
{
    private XgbDMatrix(DMatrixHandle handle, int rows)
    {
        Handle = handle;
        Rows = rows;
    }

    public DMatrixHandle Handle { get; }

    public int Rows { get; }

    public static unsafe XgbDMatrix FromDense(ReadOnlySpan<float> rowMajor, int rows, int columns, ReadOnlySpan<float> labels = default)
    {
        if (rowMajor.Length != (long)rows * columns)
        {
            throw new ArgumentException($"Expected {rows} x {columns} values, got {rowMajor.Length}.", nameof(rowMajor));
        }

        DMatrixHandle handle;
        fixed (float* data = rowMajor)
        {
            XgbNative.Check(XgbNative.XGDMatrixCreateFromMat(data, (ulong)rows, (ulong)columns, float.NaN, out handle));
        }

        var matrix = new XgbDMatrix(handle, rows);
        if (!labels.IsEmpty)
        {
            fixed (float* label = labels)
            {
                XgbNative.Check(XgbNative.XGDMatrixSetFloatInfo(handle, "label", label, (ulong)labels.Length));
            }
        }

        return matrix;
    }

    public void Dispose() => Handle.Dispose();
}

/// <summary>
/// An XGBoost booster: set parameters, boost rounds, predict, and save/load its JSON model.
/// Not thread-safe (XGBoost's prediction buffers belong to the booster).
/// </summary>
internal sealed class XgbBooster : IDisposable
{
    private readonly BoosterHandle handle;

    private XgbBooster(BoosterHandle handle) => this.handle = handle;

    /// <summary>The native library's version, e.g. "1.7.4" (Debian's file name says 1.6.0; the library knows better).</summary>
    public static string Version
    {
        get
        {
            XgbNative.XGBoostVersion(out var major, out var minor, out var patch);
            return $"{major}.{minor}.{patch}";
        }
    }

    /// <summary>Null when the native library loads, otherwise what to install.</summary>
    public static string? NativeLibraryProblem()
    {
        try
        {
            _ = Version;
            return null;
        }
        catch (DllNotFoundException e)
        {
            return "The XGBoost native library is not installed (on Debian/Ubuntu: apt-get install libxgboost0). " + e.Message;
        }
        catch (EntryPointNotFoundException e)
        {
            return "The installed XGBoost native library is too old (XGBoost 1.7 or newer is needed). " + e.Message;
        }
    }

    public static XgbBooster Create(XgbDMatrix? train = null)
    {
        var matrices = train is null ? [] : new[] { train.Handle.DangerousGetHandle() };
        XgbNative.Check(XgbNative.XGBoosterCreate(matrices, (ulong)matrices.Length, out var handle));
        GC.KeepAlive(train);
        return new XgbBooster(handle);
    }

    public static unsafe XgbBooster LoadJson(ReadOnlySpan<byte> modelJson)
    {
        var booster = Create();
        fixed (byte* buffer = modelJson)
        {
            XgbNative.Check(XgbNative.XGBoosterLoadModelFromBuffer(booster.handle, buffer, (ulong)modelJson.Length));
        }

        return booster;
    }

    public void SetParameter(string name, string value) => XgbNative.Check(XgbNative.XGBoosterSetParam(handle, name, value));

    public void SetParameter(string name, double value) => SetParameter(name, value.ToString("R", CultureInfo.InvariantCulture));

    public void UpdateOneIteration(int iteration, XgbDMatrix train) =>
        XgbNative.Check(XgbNative.XGBoosterUpdateOneIter(handle, iteration, train.Handle));

    /// <summary>Predictions on the response scale (after the objective's link), one per row.</summary>
    public float[] Predict(XgbDMatrix matrix)
    {
        const string config = """{"type":0,"training":false,"iteration_begin":0,"iteration_end":0,"strict_shape":false}""";
        XgbNative.Check(XgbNative.XGBoosterPredictFromDMatrix(handle, matrix.Handle, config, out _, out _, out var result));

        // The buffer belongs to the booster and is overwritten by its next call: copy it now.
        var predictions = new float[matrix.Rows];
        Marshal.Copy(result, predictions, 0, predictions.Length);
        return predictions;
    }

    public float[] Predict(ReadOnlySpan<float> rowMajor, int rows, int columns)
    {
        using var matrix = XgbDMatrix.FromDense(rowMajor, rows, columns);
        return Predict(matrix);
    }

    /// <summary>The model in XGBoost's JSON format (trees, base score, objective), as UTF-8 bytes.</summary>
    public byte[] SaveJson()
    {
        XgbNative.Check(XgbNative.XGBoosterSaveModelToBuffer(handle, """{"format":"json"}""", out var length, out var buffer));
        var json = new byte[checked((int)length)];
        Marshal.Copy(buffer, json, 0, json.Length);
        return json;
    }

    public void Dispose() => handle.Dispose();
}
