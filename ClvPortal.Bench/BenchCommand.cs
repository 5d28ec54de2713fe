using System.Diagnostics;
using ClvPortal.Core.Analytics;
using ClvPortal.Core.Ingest;
using ClvPortal.Core.Models;
using ClvPortal.Core.Pipeline;
using ClvPortal.Core.Synthetic;
using ClvPortal.Web.Cli;

namespace ClvPortal.Bench;

/// <summary>
/// <c>bench [--csv 1M,10M] [--xlsx 1M] [--customers N] [--dir DIR] [--passes N]</c>: file-to-features speed and
/// memory on generated Online-Retail-like files (generated once, then reused).
/// </summary>
public static class BenchCommand
{
    // Wall and CPU seconds both: on a shared machine the wall clock includes waiting for a core.
    public const string Help = "bench [--csv 1M,10M] [--xlsx 1M] [--customers 20000] [--dir DIR] [--seed S] [--passes 1]: rows/s and peak memory of file -> features on generated files (--passes: each file N times in this process, so warm runs show after the first)";

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArguments.Parse(args);
        var csv = Sizes(parsed, "csv", "1M,10M");
        var xlsx = Sizes(parsed, "xlsx", "1M");
        var customers = parsed.Integer("customers") ?? 20_000;
        var seed = parsed.Integer("seed") ?? 1;
        var passes = parsed.Integer("passes") ?? 1;
        var directory = parsed.Text("dir") ?? Path.Combine(Path.GetTempPath(), "clvportal-bench");
        if (parsed.Errors.Count > 0 || customers is 0 or > int.MaxValue || seed > int.MaxValue || passes is 0 or > 1000)
        {
            stderr.WriteLine(string.Join(Environment.NewLine, parsed.Errors.DefaultIfEmpty("--customers must be between 1 and 2147483647, --passes between 1 and 1000.")));
            stderr.WriteLine("Usage: " + Help);
            return Task.FromResult(2);
        }

        stdout.WriteLine($"{Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}; files in {directory}; {customers:N0} customers per file.");
        stdout.WriteLine($"{"file",-34} {"MB",7} {"read s",7} {"cpu s",7} {"total s",8} {"cpu s",7} {"rows/s",11} {"MB/s",6} {"peak MB",8} {"heap MB",8} {"customers",10} {"cohorts s",9} {"cpu s",7}");
        foreach (var (format, rows) in csv.Select(r => ("csv", r)).Concat(xlsx.Select(r => ("xlsx", r))))
        {
            var options = new GeneratorOptions { Rows = rows, Customers = (int)customers, Seed = (int)seed };
            var path = Path.Combine(directory, $"retail-{rows}-{customers}-{seed}.{format}");
            if (!File.Exists(path))
            {
                var generated = GenerateCommand.Write(path + ".part", format, options);
                File.Move(path + ".part", path, overwrite: true);
                stdout.WriteLine($"  generated {Path.GetFileName(path)} in {generated.TotalSeconds:N1} s");
            }

            // The first pass of a process includes compiling the code it runs; later passes show the warm rate.
            for (var pass = 0; pass < passes; pass++)
            {
                Measure(stdout, path, rows);
            }
        }

        stdout.WriteLine($"Process peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:N0} MB.");
        return Task.FromResult(0);
    }

    private static void Measure(TextWriter stdout, string path, long rows)
    {
        // Reading alone (Ingest) first, then the whole pipeline, to show which part dominates.
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var readCpu = process.TotalProcessorTime;
        var read = Stopwatch.StartNew();
        using (var stream = File.OpenRead(path))
        using (var file = TransactionFile.Open(stream, Path.GetFileName(path), new IngestOptions()))
        {
            foreach (var _ in file.ReadRows())
            {
            }
        }

        read.Stop();
        process.Refresh();
        readCpu = process.TotalProcessorTime - readCpu;
        GC.Collect();
        process.Refresh();
        var totalCpu = process.TotalProcessorTime;
        using var sampler = new PeakSampler();
        var total = Stopwatch.StartNew();
        PipelineOutcome outcome;
        using (var stream = File.OpenRead(path))
        {
            outcome = ClvPipeline.Run(stream, Path.GetFileName(path), new PipelineOptions { RunModels = false });
        }

        total.Stop();
        process.Refresh();
        totalCpu = process.TotalProcessorTime - totalCpu;
        var heap = GC.GetTotalMemory(false);
        var peak = sampler.Stop();
        var customers = outcome.Result?.Customers.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? outcome.Problem!.Message;
        var (cohorts, cohortsCpu) = outcome.Result is { } result ? TimeCohorts(result) : (double.NaN, double.NaN);
        stdout.WriteLine($"{Path.GetFileName(path),-34} {new FileInfo(path).Length / 1e6,7:N0} {read.Elapsed.TotalSeconds,7:N2} {readCpu.TotalSeconds,7:N2} {total.Elapsed.TotalSeconds,8:N2} {totalCpu.TotalSeconds,7:N2} {rows / total.Elapsed.TotalSeconds,11:N0} {new FileInfo(path).Length / 1e6 / total.Elapsed.TotalSeconds,6:N0} {peak / 1e6,8:N0} {heap / 1e6,8:N0} {customers,10} {cohorts,9:N2} {cohortsCpu,7:N2}");
        GC.KeepAlive(outcome);
    }

    /// <summary>
    /// The cohort table on its own, as the pipeline builds it after the models: every customer's revenue by month
    /// and a 12-month BG/NBD continuation of their CLV (here their revenue to date, with CDNOW's published
    /// parameters, since the bench runs no models). Inside the pipeline it shares the dashboard's pass.
    /// </summary>
    private static (double Wall, double Cpu) TimeCohorts(PipelineResult result)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var timer = Stopwatch.StartNew();
        var outlook = result.Customers.ToDictionary(c => c.CustomerId, c => new CohortMember(c.TotalRevenue, c.Frequency, c.Recency, c.T), StringComparer.Ordinal);
        var forecast = new CohortForecast(outlook, new BgNbdParameters(0.243, 4.414, 0.793, 2.426), DaysPerUnit: 1, HorizonMonths: 12);
        GC.KeepAlive(CohortCalculator.Compute(result.Ledger!, result.ObservationEnd, forecast));
        process.Refresh();
        return (timer.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    private static long[] Sizes(CliArguments parsed, string name, string fallback)
    {
        var text = parsed.Text(name) ?? fallback;
        if (text is "" or "0" or "none")
        {
            return [];
        }

        return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(size => CliArguments.Parse(["--size", size]).Integer("size") ?? Invalid(parsed, name, size))];
    }

    private static long Invalid(CliArguments parsed, string name, string size)
    {
        parsed.Errors.Add($"--{name} takes sizes like 1M,10M; \"{size}\" is not one.");
        return 0;
    }

    /// <summary>Samples the working set while a run is measured: Process.PeakWorkingSet64 never goes down, so it cannot tell runs apart.</summary>
    private sealed class PeakSampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public PeakSampler()
        {
            _timer = new Timer(_ => Sample(), null, 0, 20);
        }

        public long Stop()
        {
            _timer.Dispose();
            Sample();
            return Interlocked.Read(ref _peak);
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            using var process = Process.GetCurrentProcess();
            var current = process.WorkingSet64;
            long peak;
            while (current > (peak = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, current, peak) != peak)
            {
            }
        }
    }
}
