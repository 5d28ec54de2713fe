using System.Diagnostics;
using System.Globalization;
using ClvPortal.Core.Models;
using ClvPortal.Web.Cli;

namespace ClvPortal.Bench;

/// <summary>
/// <c>bench-models [--train-customers N] [--score-customers N]</c>: prints how long XGBoost training
/// and ONNX Runtime scoring take on synthetic customers (targets: 100k trained in 5 s, 1M scored in 3 s).
/// </summary>
public static class BenchModelsCommand
{
    public const string Help = "Time XGBoost training (100k customers) and ONNX scoring (1M) on synthetic data.";

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArguments.Parse(args).AllowOnly("train-customers", "score-customers");
        var trainCustomers = (int)(parsed.Integer("train-customers") ?? 100_000);
        var scoreCustomers = (int)(parsed.Integer("score-customers") ?? 1_000_000);
        if (trainCustomers < 1 || scoreCustomers < 1)
        {
            parsed.Errors.Add("Customer counts must be at least 1.");
        }

        if (parsed.ReportErrors(stderr, "bench-models [--train-customers N] [--score-customers N]"))
        {
            return Task.FromResult(2);
        }

        if (XgbClvTrainer.NativeLibraryProblem() is { } problem)
        {
            stderr.WriteLine(problem);
            return Task.FromResult(1);
        }

        var training = SyntheticCustomers.Generate(trainCustomers, seed: 1);
        stdout.WriteLine($"{Environment.ProcessorCount} cores; {trainCustomers:N0} customers x {ClvFeatureSet.Default.Count} features");
        stdout.WriteLine("Wall time, and the process's CPU time: on a busy machine CPU time / cores estimates the idle wall time.");
        foreach (var objective in new[] { "reg:squarederror", "reg:tweedie" })
        {
            var cpu = Cpu();
            using var result = XgbClvTrainer.Train(training, new XgbTrainingOptions { Objective = objective });
            stdout.WriteLine($"train {objective,-17} {result.Elapsed.TotalSeconds,6:F2} s wall, {(Cpu() - cpu).TotalSeconds,6:F2} s CPU (XGBoost {result.XgboostVersion}, 200 rounds, depth {new XgbTrainingOptions().MaxDepth})");
        }

        using var model = XgbClvTrainer.Train(training, new XgbTrainingOptions());
        var scoring = SyntheticCustomers.Generate(scoreCustomers, seed: 2);
        model.Model.Predict(scoring.Take(1_000).ToList()); // load ONNX Runtime's kernels before timing

        var matrix = model.Model.FeatureSet.ToMatrix(scoring);
        var scoreCpu = Cpu();
        var stopwatch = Stopwatch.StartNew();
        model.Model.Predict(matrix, scoring.Count);
        var raw = stopwatch.Elapsed;
        var rawCpu = Cpu() - scoreCpu;

        stopwatch.Restart();
        model.Model.Predict(scoring);
        var withFeatures = stopwatch.Elapsed;

        stopwatch.Restart();
        const int singles = 10_000;
        for (var i = 0; i < singles; i++)
        {
            model.Model.Predict(matrix.AsSpan(i * model.Model.FeatureSet.Count, model.Model.FeatureSet.Count).ToArray(), 1);
        }

        var single = stopwatch.Elapsed.TotalMicroseconds / singles;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"score {scoreCustomers:N0} customers: {raw.TotalSeconds:F2} s wall, {rawCpu.TotalSeconds:F2} s CPU (float matrix); {withFeatures.TotalSeconds:F2} s wall (from CustomerFeatures); single row {single:F1} µs"));
        return Task.FromResult(0);
    }

    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;
}
