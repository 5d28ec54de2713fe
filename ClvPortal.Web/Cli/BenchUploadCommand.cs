using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using MongoDB.Driver;

namespace ClvPortal.Web.Cli;

/// <summary>
/// <c>bench-upload &lt;mongo-connection-string&gt; [--mb 500]</c>: starts the portal as a separate web
/// process against that MongoDB (on a throw-away database), signs up a user, streams a generated CSV of
/// the given size to the upload endpoint over loopback HTTP, and prints the upload throughput and the
/// web process's peak resident memory, which must stay flat whatever the file size.
/// </summary>
public static partial class BenchUploadCommand
{
    public const string Help = "<mongo-connection-string> [--mb 500]: upload throughput and peak web-process memory for a generated CSV";

    private const string Password = "Bench-Upload-Password-1";

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
        var database = $"bench_upload_{Guid.NewGuid():N}"[..24];
        var port = FreePort();
        using var server = StartServer(connectionString, database, port);
        try
        {
            var baseUri = new Uri($"http://127.0.0.1:{port}");
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
            {
                BaseAddress = baseUri,
                Timeout = Timeout.InfiniteTimeSpan,
            };

            await WaitUntilHealthyAsync(http, server);
            await SignUpAsync(http);
            var token = Token(await http.GetStringAsync("/Analyses/New"));

            var before = Memory(server.Id);
            var bytes = (long)megabytes * 1024 * 1024;
            long peakRss = before.Rss;
            using var sampling = new CancellationTokenSource();
            var sampleLoop = Task.Run(async () =>
            {
                // Sampled RSS shows whether memory stays flat during the upload; VmHWM confirms no spike between samples.
                while (!sampling.IsCancellationRequested)
                {
                    peakRss = Math.Max(peakRss, Memory(server.Id).Rss);
                    await Task.Delay(100, CancellationToken.None);
                }
            });

            using var form = new MultipartFormDataContent();
            form.Add(new StringContent("12"), "HorizonMonths");
            form.Add(new GeneratedCsvContent(bytes), "file", "bench.csv");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/Analyses/Upload") { Content = form };
            request.Headers.Add("RequestVerificationToken", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

            var clock = Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            clock.Stop();
            await sampling.CancelAsync();
            await sampleLoop;
            var after = Memory(server.Id);

            if (!response.IsSuccessStatusCode)
            {
                await stderr.WriteLineAsync($"The upload was refused ({(int)response.StatusCode}): {body}");
                return 1;
            }

            var mb = bytes / (1024.0 * 1024);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"""
                uploaded      {mb:N0} MB generated CSV to {baseUri}Analyses/Upload (GridFS on {Redact(connectionString)})
                time          {clock.Elapsed.TotalSeconds:N1} s
                throughput    {mb / clock.Elapsed.TotalSeconds:N1} MB/s
                web process   RSS before {before.Rss / 1048576.0:N0} MB, after {after.Rss / 1048576.0:N0} MB, peak sampled {peakRss / 1048576.0:N0} MB, peak (VmHWM, whole life) {after.Peak / 1048576.0:N0} MB
                """));
            return 0;
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }

            await new MongoClient(connectionString).DropDatabaseAsync(database);
        }
    }

    private static Process StartServer(string connectionString, string database, int port)
    {
        // The same entry point this command runs in, as its own process, so its memory is the web app's alone.
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Mongo"] = connectionString;
        start.Environment["Portal__Database"] = database;
        // Web only: the analysis job is not what this measures, and no worker picks it up.
        start.Environment["Portal__Roles"] = "web";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the web process.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("[web] " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilHealthyAsync(HttpClient http, Process server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"The web process exited with code {server.ExitCode} while starting.");
            }

            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("The web process did not become healthy within 90 s.");
    }

    private static async Task SignUpAsync(HttpClient http)
    {
        var token = Token(await http.GetStringAsync("/Identity/Account/Register"));
        var email = $"bench-{Guid.NewGuid():N}@example.com";
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
            ["__RequestVerificationToken"] = token,
        });
        using var response = await http.PostAsync("/Identity/Account/Register", form);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing up returned {(int)response.StatusCode}.");
        }
    }

    private static string Token(string html) =>
        TokenInput().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("The page has no antiforgery token.");

    /// <summary>Current and peak resident set size of a process, from /proc (Linux).</summary>
    private static (long Rss, long Peak) Memory(int pid)
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line) * 1024;
            }
        }

        return (rss, peak);

        static long Kilobytes(string line) =>
            long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Redact(string connectionString) => CredentialsInUri().Replace(connectionString, "//***@");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();

    [GeneratedRegex("//[^/@]+@")]
    private static partial Regex CredentialsInUri();

    /// <summary>
    /// A CSV of exactly the requested size, generated while it is sent (never held in memory): 100,000
    /// customers buying on dates across three years, like a real shop export.
    /// </summary>
    private sealed class GeneratedCsvContent : HttpContent
    {
        private readonly long _bytes;

        public GeneratedCsvContent(long bytes)
        {
            _bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var header = "customer_id,order_date,amount\n"u8.ToArray();
            var buffer = new byte[256 * 1024];
            header.CopyTo(buffer, 0);
            var used = header.Length;
            long written = 0;
            var row = 0L;
            var start = new DateOnly(2022, 1, 1);
            while (written < _bytes)
            {
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"C{row * 7919 % 100_000:D6},{start.AddDays((int)(row * 31 % 1096)):yyyy-MM-dd},{5 + (row * 13 % 500) / 10.0:0.00}\n");
                var length = Encoding.ASCII.GetBytes(line, buffer.AsSpan(used));
                used += length;
                row++;
                if (used > buffer.Length - 64 || written + used >= _bytes)
                {
                    var take = (int)Math.Min(used, _bytes - written);
                    await stream.WriteAsync(buffer.AsMemory(0, take));
                    written += take;
                    used = 0;
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes;
            return true;
        }
    }
}
