using ClvPortal.Core;
using ClvPortal.Core.Models;

namespace ClvPortal.Web.Analyses;

/// <summary>The <c>Portal:Analysis</c> configuration section.</summary>
public sealed class AnalysisOptions
{
    public const string Section = "Portal:Analysis";

    /// <summary>
    /// The shipped ONNX model used when a file's history is too short to train on, relative to the
    /// content root, the binaries or the working directory unless absolute. Default <c>models/clv.onnx</c>; a missing file means no fallback model.
    /// </summary>
    public string ShippedModelPath { get; set; } = Path.Combine("models", "clv.onnx");
}

/// <summary>
/// The shipped model, loaded once per process (an ONNX session is costly to create and thread-safe to
/// share) and disposed with the host. <see cref="Model"/> is null when the file is absent or unreadable.
/// </summary>
public sealed class ShippedModel(OnnxClvModel? model) : IDisposable
{
    public OnnxClvModel? Model { get; } = model;

    public static ShippedModel Load(string path, string contentRoot, int threads, ILogger logger)
    {
        var full = Resolve(path, contentRoot);
        if (!File.Exists(full))
        {
            logger.LogInformation("No shipped CLV model at {Path}: short files are analysed without the fallback model", full);
            return new ShippedModel(null);
        }

        try
        {
            return new ShippedModel(OnnxClvModel.Load(full, threads));
        }
        catch (InputProblemException ex)
        {
            logger.LogWarning("The shipped CLV model at {Path} was not loaded: {Problem}", full, ex.Problem);
            return new ShippedModel(null);
        }
    }

    /// <summary>
    /// A relative path is looked for under the content root (a deployed app), beside the binaries
    /// (the build copies models/ there, so dotnet run and tests find it), then the working directory.
    /// </summary>
    public static string Resolve(string path, string contentRoot)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        string[] candidates = [Path.Combine(contentRoot, path), Path.Combine(AppContext.BaseDirectory, path), Path.GetFullPath(path)];
        return candidates.FirstOrDefault(File.Exists) ?? candidates[0];
    }

    public void Dispose() => Model?.Dispose();
}
