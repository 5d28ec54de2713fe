using System.Diagnostics;
using ClvPortal.Core.Models;
using ClvPortal.Core.Pipeline;
using ClvPortal.Core.Synthetic;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Cli;

namespace ClvPortal.Bench;

/// <summary>
/// <c>bench-concurrent [--rows 1M] [--concurrent 2] [--threads N] [--runs 3]</c>: one whole analysis (models
/// included) of a generated file alone, then <c>--concurrent</c> of them at once, as a worker with that many
/// jobs runs them; alternated <c>--runs</c> times, because on a shared machine single runs vary widely.
/// </summary>
public static class BenchConcurrentCommand
{
    public const string Help = "bench-concurrent [--rows 1M] [--concurrent 2] [--threads N|0] [--runs 3] [--customers 20000] [--dir DIR]: wall seconds of one analysis alone and of N at once, and their ratio";

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArguments.Parse(args);
        var rows = parsed.Integer("rows") ?? 1_000_000;
        var concurrent = parsed.Integer("concurrent") ?? 2;
        var customers = parsed.Integer("customers") ?? 20_000;
        var runs = parsed.Integer("runs") ?? 3;
        var directory = parsed.Text("dir") ?? Path.Combine(Path.GetTempPath(), "clvportal-bench");
        // Default: what a worker running `concurrent` jobs gives each (Portal:Jobs:WorkerCount); 0: uncapped, one thread per core in every job.
        var threads = (int)(parsed.Integer("threads") ?? Math.Max(1, Environment.ProcessorCount / Math.Max(1, concurrent)));
        if (parsed.Errors.Count > 0 || rows is < 1 or > int.MaxValue || concurrent is < 1 or > 64 || runs is < 1 or > 100 || customers is < 1 or > int.MaxValue || threads is < 0 or > 1024)
        {
            stderr.WriteLine(string.Join(Environment.NewLine, parsed.Errors.DefaultIfEmpty("--rows, --concurrent (1-64), --runs (1-100), --customers and --threads (0 = uncapped) take positive numbers.")));
            stderr.WriteLine("Usage: " + Help);
            return Task.FromResult(2);
        }

        var path = Path.Combine(directory, $"retail-{rows}-{customers}-1.csv");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(directory);
            var generated = GenerateCommand.Write(path + ".part", "csv", new GeneratorOptions { Rows = rows, Customers = (int)customers, Seed = 1 });
            File.Move(path + ".part", path, overwrite: true);
            stdout.WriteLine($"  generated {Path.GetFileName(path)} in {generated.TotalSeconds:N1} s");
        }

        var shippedPath = ShippedModel.Resolve(new AnalysisOptions().ShippedModelPath, AppContext.BaseDirectory);
        using var shipped = File.Exists(shippedPath) ? OnnxClvModel.Load(shippedPath, threads) : null;
        var options = new PipelineOptions { ShippedModel = shipped };
        if (threads > 0)
        {
            options = PipelineRunner.WithThreads(options, threads);
        }

        var threadText = threads == 0 ? "uncapped (one per core)" : $"{threads}";
        var wait = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "unset (PASSIVE as XGBoost loads)";
        stdout.WriteLine($"{Environment.ProcessorCount} cores; {Path.GetFileName(path)} ({new FileInfo(path).Length / 1e6:N0} MB); model threads per analysis {threadText}; OMP_WAIT_POLICY {wait}");

        Analyse(path, options); // warm-up: JIT, native libraries, page cache
        var alone = new List<double>();
        var together = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (var run = 1; run <= runs; run++)
        {
            var cpu = Cpu(process);
            alone.Add(Analyse(path, options));
            var aloneCpu = Cpu(process) - cpu;
            var clock = Stopwatch.StartNew();
            cpu = Cpu(process);
            var each = Enumerable.Range(0, (int)concurrent)
                .Select(_ => Task.Factory.StartNew(() => Analyse(path, options), TaskCreationOptions.LongRunning))
                .ToArray();
            Task.WaitAll(each);
            together.AddRange(each.Select(t => t.Result));
            stdout.WriteLine(
                $"run {run}: alone {alone[^1]:N2} s ({aloneCpu:N1} s CPU); {concurrent} at once {string.Join(", ", each.Select(t => $"{t.Result:N2} s"))} " +
                $"(all done after {clock.Elapsed.TotalSeconds:N2} s, {Cpu(process) - cpu:N1} s CPU)");
        }

        // CPU seconds show threads spinning for work: more CPU for the same analyses.
        var ratio = Median(together) / Median(alone);
        stdout.WriteLine($"median alone {Median(alone):N2} s, median each of {concurrent} at once {Median(together):N2} s: ratio {ratio:N2} (ideal on {Environment.ProcessorCount} idle cores: {Math.Max(1.0, (double)concurrent / Environment.ProcessorCount):N2})");
        return Task.FromResult(0);
    }

    private static double Cpu(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static double Analyse(string path, PipelineOptions options)
    {
        var clock = Stopwatch.StartNew();
        using var stream = File.OpenRead(path);
        var outcome = ClvPipeline.Run(stream, Path.GetFileName(path), options);
        if (outcome.Problem is { } problem)
        {
            throw new InvalidOperationException(problem.Message);
        }

        return clock.Elapsed.TotalSeconds;
    }
}
