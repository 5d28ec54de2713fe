using System.Diagnostics;
using System.Globalization;
using ClvPortal.Web.Cli;

namespace ClvPortal.Bench;

/// <summary>
/// <c>bench-upload &lt;mongo-connection-string&gt; [--mb 500]</c>: starts the portal as a separate web process
/// against that MongoDB (on a throw-away database), signs up a user, streams a generated CSV of the given size
/// to the upload endpoint over loopback HTTP, and prints the upload throughput and the web process's peak
/// resident memory, which must stay flat whatever the file size.
/// </summary>
public static class BenchUploadCommand
{
    public const string Help = "<mongo-connection-string> [--mb 500]: upload throughput and peak web-process memory for a generated CSV";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArguments.Parse(args).AllowOnly("mb");
        var megabytes = (int)(parsed.Integer("mb") ?? 500);
        if (parsed.Positionals.Count != 1)
        {
            parsed.Errors.Add("Give the MongoDB connection string as the one argument.");
        }

        if (megabytes < 1)
        {
            parsed.Errors.Add("--mb takes a whole number of megabytes, e.g. --mb 100.");
        }

        if (parsed.ReportErrors(stderr, "bench-upload " + Help))
        {
            return 2;
        }

        var connectionString = parsed.Positionals[0];
        // Web only: the analysis job is not what this measures, and no worker picks it up.
        var log = TextWriter.Synchronized(stderr);
        await using var scratch = new ScratchDatabase(connectionString, "bench_upload", log);
        await using var server = PortalProcess.Start("web", "Production", connectionString, scratch.Name, "web", log: log);
        await server.WaitUntilHealthyAsync(PortalProcess.StartTimeout);
        using var http = BenchHttp.NewClient(server.BaseAddress, BenchHttp.ClientAddress(0), Timeout.InfiniteTimeSpan);
        await BenchHttp.SignUpAsync(http);
        var token = await BenchHttp.UploadTokenAsync(http);

        var before = server.Memory();
        var bytes = (long)megabytes * 1024 * 1024;
        long peakRss = before.Rss;
        using var sampling = new CancellationTokenSource();
        var sampleLoop = Task.Run(async () =>
        {
            // Sampled RSS shows whether memory stays flat during the upload; VmHWM confirms no spike between samples.
            while (!sampling.IsCancellationRequested)
            {
                peakRss = Math.Max(peakRss, server.Memory().Rss);
                await Task.Delay(100, CancellationToken.None);
            }
        });

        using var request = BenchHttp.UploadRequest(token, bytes);
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        clock.Stop();
        await sampling.CancelAsync();
        await sampleLoop;
        var after = server.Memory();

        if (!response.IsSuccessStatusCode)
        {
            await stderr.WriteLineAsync($"The upload was refused ({(int)response.StatusCode}): {body}");
            return 1;
        }

        var mb = bytes / (1024.0 * 1024);
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"""
            uploaded      {mb:N0} MB generated CSV to {server.BaseAddress}Analyses/Upload (GridFS on {PortalProcess.Redact(connectionString)})
            time          {clock.Elapsed.TotalSeconds:N1} s
            throughput    {mb / clock.Elapsed.TotalSeconds:N1} MB/s
            web process   RSS before {before.Rss / 1048576.0:N0} MB, after {after.Rss / 1048576.0:N0} MB, peak sampled {peakRss / 1048576.0:N0} MB, peak (VmHWM, whole life) {after.Peak / 1048576.0:N0} MB
            """));
        return 0;
    }
}
