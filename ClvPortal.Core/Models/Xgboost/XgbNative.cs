using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ClvPortal.Core.Models.Xgboost;

/// <summary>
/// The XGBoost C API (<c>c_api.h</c> of XGBoost 1.7). No XGBoost NuGet package exists, so ClvPortal
/// calls the distribution's native library (Debian/Ubuntu package <c>libxgboost0</c>) directly.
/// </summary>
internal static partial class XgbNative
{
    private const string Library = "xgboost";

    // Debian ships the library as libxgboost.so.0 with no unversioned symlink (that comes with the
    // -dev package), so the default probing for "xgboost" finds nothing: try the soname first.
    private static readonly string[] Candidates = ["libxgboost.so.0", "xgboost", "libxgboost.so", "libxgboost.dylib", "xgboost.dll"];

    static XgbNative() => NativeLibrary.SetDllImportResolver(typeof(XgbNative).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        PreferPassiveWaiting();
        foreach (var candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }

    /// <summary>
    /// XGBoost's OpenMP threads spin for a while after each parallel loop, waiting for the next. On cores
    /// busy with other work (another analysis, another process) they take the time the working threads need:
    /// a 1M-row analysis took 19-53 s instead of 4-5 s on a loaded 2-core machine. libgomp reads
    /// OMP_WAIT_POLICY once, as it loads with libxgboost, from the C environment, which
    /// Environment.SetEnvironmentVariable does not change on Unix: hence setenv, just before the load.
    /// A value set by whoever started the process is kept.
    /// </summary>
    private static void PreferPassiveWaiting()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null)
        {
            return;
        }

        try
        {
            _ = SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: keep OpenMP's default.
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    /// <summary>Throws <see cref="XgboostException"/> with XGBoost's own message when a call failed.</summary>
    public static void Check(int status)
    {
        if (status != 0)
        {
            throw new XgboostException(Marshal.PtrToStringUTF8(XGBGetLastError()) ?? "XGBoost reported an unknown error.");
        }
    }

    [LibraryImport(Library)]
    public static partial IntPtr XGBGetLastError();

    [LibraryImport(Library)]
    public static partial void XGBoostVersion(out int major, out int minor, out int patch);

    [LibraryImport(Library)]
    public static unsafe partial int XGDMatrixCreateFromMat(float* data, ulong rows, ulong columns, float missing, out DMatrixHandle handle);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int XGDMatrixSetFloatInfo(DMatrixHandle handle, string field, float* values, ulong length);

    [LibraryImport(Library)]
    public static partial int XGDMatrixFree(IntPtr handle);

    [LibraryImport(Library)]
    public static partial int XGBoosterCreate(IntPtr[] matrices, ulong count, out BoosterHandle handle);

    [LibraryImport(Library)]
    public static partial int XGBoosterFree(IntPtr handle);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int XGBoosterSetParam(BoosterHandle handle, string name, string value);

    [LibraryImport(Library)]
    public static partial int XGBoosterUpdateOneIter(BoosterHandle handle, int iteration, DMatrixHandle train);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int XGBoosterPredictFromDMatrix(
        BoosterHandle handle, DMatrixHandle matrix, string config, out IntPtr shape, out ulong dimensions, out IntPtr result);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int XGBoosterSaveModelToBuffer(BoosterHandle handle, string config, out ulong length, out IntPtr buffer);

    [LibraryImport(Library)]
    public static unsafe partial int XGBoosterLoadModelFromBuffer(BoosterHandle handle, byte* buffer, ulong length);
}

/// <summary>An XGBoost DMatrix, freed with <c>XGDMatrixFree</c>.</summary>
internal sealed class DMatrixHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle() => XgbNative.XGDMatrixFree(handle) == 0;
}

/// <summary>An XGBoost Booster, freed with <c>XGBoosterFree</c>.</summary>
internal sealed class BoosterHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle() => XgbNative.XGBoosterFree(handle) == 0;
}

/// <summary>XGBoost itself failed (its message is kept), or its native library is not installed.</summary>
public sealed class XgboostException(string message, Exception? inner = null) : Exception(message, inner);
