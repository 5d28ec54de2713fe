using System.Diagnostics;
using System.Globalization;
using System.Net;
using ClvPortal.Web.Cli;
using ClvPortal.Web.Data;
using ClvPortal.Web.Setup;
using MongoDB.Bson;
using MongoDB.Driver;

namespace ClvPortal.Bench;

/// <summary>
/// <c>bench-load &lt;mongo-connection-string&gt; [--seconds 60] [--users 50] [--uploads 10] [--upload-mb 20] [--customers 2000] [--with-worker]</c>:
/// a bounded load test over loopback. Starts the portal as a separate process on a throw-away database, seeds a
/// finished analysis for each of a handful of accounts, signs in the virtual users, then for the duration runs
/// browsing users (each with its own cookies, requesting the pages a user browses one after another, without
/// think time) beside upload loops (each streaming a generated CSV to the upload endpoint again and again).
/// Prints per kind of traffic the requests, errors, exact latency percentiles and throughput, and the web
/// process's peak memory; exits with 1 when any request failed.
/// </summary>
public static class BenchLoadCommand
{
    public const string Help = "<mongo-connection-string> [--seconds 60] [--users 50] [--uploads 10] [--upload-mb 20] [--customers 2000] [--with-worker]: "
        + "browsing users beside concurrent uploads on a separate web process; latency percentiles, errors, throughput";

    // The browsing users share a handful of accounts, each with one finished analysis, as colleagues share a login.
    private const int MaxBrowsingAccounts = 5;

    // Results:PageSize's default, which the bench process keeps.
    private const int PageSize = 50;

    // How long a browser waits for an answer before giving up; anything slower is an error, not a latency.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(5);

    private static readonly string[] Sorts = ["Clv", "Alive", "Revenue"];

    // The pages of one browsing round, in the order a user visits them (see Round).
    private const string MyAnalyses = "my analyses";
    private const string Results = "results";
    private const string Table = "customer table";
    private const string Search = "customer search";
    private const string Customer = "customer page";
    private const string Status = "status";
    private const string Export = "export csv";
    private static readonly string[] Pages = [MyAnalyses, Results, Table, Search, Customer, Status, Export];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArguments.Parse(args, "with-worker").AllowOnly("seconds", "users", "uploads", "upload-mb", "customers", "with-worker");
        var seconds = parsed.Integer("seconds") ?? 60;
        var users = parsed.Integer("users") ?? 50;
        var uploaders = parsed.Integer("uploads") ?? 10;
        var uploadMb = parsed.Integer("upload-mb") ?? 20;
        var customers = parsed.Integer("customers") ?? 2_000;
        if (parsed.Positionals.Count != 1)
        {
            parsed.Errors.Add("Give the MongoDB connection string as the one argument.");
        }

        if (seconds is < 1 or > 3_600 || users > 10_000 || uploaders > 1_000 || users + uploaders < 1)
        {
            parsed.Errors.Add("--seconds takes 1 to 3600; --users (up to 10000) and --uploads (up to 1000) together at least 1.");
        }

        if (uploadMb is < 1 or > 1_000 || customers is < 1 or > 1_000_000)
        {
            parsed.Errors.Add("--upload-mb takes 1 to 1000 megabytes and --customers 1 to 1000000.");
        }

        if (parsed.ReportErrors(stderr, "bench-load " + Help))
        {
            return 2;
        }

        var plan = new LoadPlan(
            parsed.Positionals[0],
            TimeSpan.FromSeconds(seconds),
            (int)users,
            (int)uploaders,
            uploadMb * 1024 * 1024,
            (int)customers,
            parsed.Has("with-worker"));
        var log = TextWriter.Synchronized(stderr);

        // Web only by default, as a fleet's web processes run: uploads are stored and their analyses queued for workers
        // elsewhere, so the figures are the web tier's. --with-worker also analyses them in this process, on the same cores.
        await using var scratch = new ScratchDatabase(plan.ConnectionString, "bench_load", log);
        await using var portal = PortalProcess.Start("web", "Production", plan.ConnectionString, scratch.Name, plan.WithWorker ? "web,worker" : "web", log: log);
        Cast cast;
        try
        {
            await portal.WaitUntilHealthyAsync(PortalProcess.StartTimeout);
            cast = await SetUpAsync(plan, portal, stdout);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TimeoutException or MongoException)
        {
            await log.WriteLineAsync($"The load test could not be set up: {ex.Message}");
            return 1;
        }

        var traffic = Pages.ToDictionary(page => page, _ => new LatencyRecorder());
        var uploads = new LatencyRecorder();
        var memory = new MemorySampler(portal);
        var clock = Stopwatch.StartNew();
        var loops = cast.Browsers
            .Select((browser, i) => BrowseAsync(browser.Http, browser.AnalysisId, plan, clock, traffic, new Random(i)))
            .Concat(cast.Uploaders.Select(uploader => UploadAsync(uploader.Http, uploader.Token, plan, clock, uploads)))
            .ToList();
        var sampling = memory.RunAsync();
        var loadAtStart = LoadAverage();
        await Task.WhenAll(loops);
        var elapsed = clock.Elapsed;
        var (rssAtEnd, peakRss, highWaterMark) = await memory.StopAsync(sampling);
        foreach (var client in cast.Clients)
        {
            client.Dispose();
        }

        var pageViews = LatencyRecorder.Combine(traffic.Values);
        var everything = LatencyRecorder.Combine([cast.SignIns, pageViews, uploads]);
        Print($"load        {plan.Users} browsing users (no think time) and {plan.Uploaders} upload loops of {plan.UploadBytes / 1048576} MB for {plan.Duration.TotalSeconds:0} s; the last request in flight ended after {elapsed.TotalSeconds:0.0} s");
        // Everything here shares the machine's cores: the web process, the client, and a local MongoDB.
        Print($"machine     {Environment.ProcessorCount} cores; 1-minute load average {loadAtStart} at the start, {LoadAverage()} at the end");
        stdout.WriteLine();
        Print($"{"",-22} {"requests",9} {"errors",7} {"p50 ms",9} {"p95 ms",9} {"p99 ms",9} {"max ms",9} {"req/s",8} {"MB/s",7}");
        if (plan.Users > 0)
        {
            Row(stdout, "page views", pageViews.Summarize(), elapsed);
            foreach (var page in Pages)
            {
                Row(stdout, "  " + page, traffic[page].Summarize(), elapsed);
            }
        }

        if (plan.Uploaders > 0)
        {
            Row(stdout, "uploads", uploads.Summarize(), elapsed, megabytes: true);
        }

        Row(stdout, "overall", LatencyRecorder.Combine([pageViews, uploads]).Summarize(), elapsed, megabytes: true);
        Row(stdout, "sign-ins (before)", cast.SignIns.Summarize(), cast.SignInTime);
        stdout.WriteLine();
        Print($"web process peak RSS {peakRss / 1048576.0:N0} MB (sampled every 100 ms during the run), VmHWM {highWaterMark / 1048576.0:N0} MB, RSS at the end {rssAtEnd / 1048576.0:N0} MB");

        var summary = everything.Summarize();
        if (summary.Errors == 0)
        {
            stdout.WriteLine("errors      none");
            return 0;
        }

        Print($"errors      {summary.Errors:N0}; the first {summary.FirstErrors.Count}:");
        foreach (var error in summary.FirstErrors)
        {
            stdout.WriteLine("  " + error);
        }

        return 1;

        void Print(FormattableString line) => stdout.WriteLine(FormattableString.Invariant(line));
    }

    /// <summary>Accounts with seeded analyses, and every virtual user and uploader signed in with its own client.</summary>
    private static async Task<Cast> SetUpAsync(LoadPlan plan, PortalProcess portal, TextWriter stdout)
    {
        DataSetup.RegisterConventions();
        var db = new PortalDb(new MongoClient(plan.ConnectionString).GetDatabase(portal.Database));
        var address = 0;
        HttpClient NewClient() => BenchHttp.NewClient(portal.BaseAddress, BenchHttp.ClientAddress(address++), RequestTimeout);

        // Accounts through the real sign-up; their analyses written straight into MongoDB, as a finished job leaves them.
        // Documents first, indexes after (as bench-results does): a bulk load builds each index once instead of
        // maintaining it per insert. The web process built them at start; nothing reads them before the run.
        var seeding = Stopwatch.StartNew();
        var accounts = new List<(string Email, Guid AnalysisId)>();
        await db.CustomerResults.Indexes.DropAllAsync();
        for (var i = 0; i < Math.Min(plan.Users, MaxBrowsingAccounts); i++)
        {
            using var http = NewClient();
            var email = await BenchHttp.SignUpAsync(http);
            accounts.Add((email, await SampleResults.SeedAsync(db, await OwnerIdAsync(db, email), plan.Customers)));
        }

        await db.EnsureIndexesAsync();

        string? uploaderEmail = null;
        if (plan.Uploaders > 0)
        {
            using var http = NewClient();
            uploaderEmail = await BenchHttp.SignUpAsync(http);
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"""
            bench-load  {portal.BaseAddress}: a {(plan.WithWorker ? "web and worker process (uploads are analysed in it)" : "web-only process (uploads are stored and queued; no worker analyses them)")}
                        on MongoDB {PortalProcess.Redact(plan.ConnectionString)}, scratch database {portal.Database}
            setup       {accounts.Count + (uploaderEmail is null ? 0 : 1)} accounts; {accounts.Count} finished analyses of {plan.Customers:N0} customers seeded in {seeding.Elapsed.TotalSeconds:0.0} s
            """));

        // Everybody signs in at once before the clock starts: the run measures browsing and uploading, not a login storm.
        var signIns = new LatencyRecorder();
        var signingIn = Stopwatch.StartNew();
        var browsers = Enumerable.Range(0, plan.Users)
            .Select(i => (Http: NewClient(), Account: accounts[i % accounts.Count]))
            .ToList();
        var uploaders = Enumerable.Range(0, plan.Uploaders).Select(_ => NewClient()).ToList();
        var signedIn = await Task.WhenAll(browsers.Select(b => SignInAsync(b.Http, b.Account.Email, signIns)));
        var tokens = await Task.WhenAll(uploaders.Select(async http =>
            await SignInAsync(http, uploaderEmail!, signIns) ? await BenchHttp.UploadTokenAsync(http) : null));
        var signInTime = signingIn.Elapsed;

        // A client whose sign-in failed is counted as an error and sits the run out (it would only collect sign-in redirects).
        return new Cast(
            [.. browsers.Where((_, i) => signedIn[i]).Select(b => new Browser(b.Http, b.Account.AnalysisId))],
            [.. uploaders.Zip(tokens).Where(u => u.Second is not null).Select(u => new Uploader(u.First, u.Second!))],
            [.. browsers.Select(b => b.Http), .. uploaders],
            signIns,
            signInTime);
    }

    private static async Task<string> OwnerIdAsync(PortalDb db, string email)
    {
        var user = await db.Database.GetCollection<BsonDocument>("users")
            .Find(new BsonDocument("normalizedEmail", email.ToUpperInvariant()))
            .FirstOrDefaultAsync()
            ?? throw new InvalidOperationException($"The account {email} was signed up but is not in the users collection.");
        return user["_id"].AsString;
    }

    private static async Task<bool> SignInAsync(HttpClient http, string email, LatencyRecorder signIns)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await BenchHttp.SignInAsync(http, email);
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                signIns.Record(Stopwatch.GetElapsedTime(started));
                return true;
            }

            signIns.RecordError(Stopwatch.GetElapsedTime(started), $"sign-in of {email}: {(int)response.StatusCode} {response.ReasonPhrase} instead of a redirect");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or InvalidOperationException)
        {
            signIns.RecordError(Stopwatch.GetElapsedTime(started), $"sign-in of {email}: {Describe(ex)}");
        }

        return false;
    }

    /// <summary>One browsing user: round after round of the pages in <see cref="Round"/>, until the time is up.</summary>
    private static async Task BrowseAsync(
        HttpClient http, Guid analysisId, LoadPlan plan, Stopwatch clock, Dictionary<string, LatencyRecorder> traffic, Random random)
    {
        await Task.Yield();
        while (clock.Elapsed < plan.Duration)
        {
            foreach (var (page, path) in Round(analysisId, plan.Customers, random))
            {
                if (clock.Elapsed >= plan.Duration)
                {
                    return;
                }

                var started = Stopwatch.GetTimestamp();
                try
                {
                    // GetAsync returns once the whole body has arrived: the latency is the full page.
                    using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                    var latency = Stopwatch.GetElapsedTime(started);
                    if (Problem(response) is { } problem)
                    {
                        traffic[page].RecordError(latency, $"GET {path}: {problem}");
                    }
                    else
                    {
                        traffic[page].Record(latency);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    traffic[page].RecordError(Stopwatch.GetElapsedTime(started), $"GET {path}: {Describe(ex)}");
                }
            }
        }
    }

    /// <summary>
    /// What a user looks at in one round: the list of analyses, the dashboard, the customer table (first page, then
    /// another sort and page), a search, one customer, the status link of the email (a redirect to the results), and
    /// in one round of five, at random, the CSV export.
    /// </summary>
    private static IEnumerable<(string Page, string Path)> Round(Guid id, int customers, Random random)
    {
        var lastPage = (customers + PageSize - 1) / PageSize;
        var customer = $"C{random.Next(1, customers + 1):D6}"; // SampleResults' customer ids
        yield return (MyAnalyses, "/Analyses");
        yield return (Results, $"/analyses/{id}/results");
        yield return (Table, $"/analyses/{id}/customers");
        yield return (Table, $"/analyses/{id}/customers?sort={Sorts[random.Next(Sorts.Length)]}&dir={(random.Next(2) == 0 ? "asc" : "desc")}&p={random.Next(1, lastPage + 1)}");
        yield return (Search, $"/analyses/{id}/customers?q={customer[..5]}");
        yield return (Customer, $"/analyses/{id}/customers/{customer}");
        yield return (Status, $"/Analyses/Status?id={id}");
        if (random.Next(5) == 0)
        {
            yield return (Export, $"/analyses/{id}/export/csv");
        }
    }

    /// <summary>One upload loop: the same generated file again and again; the upload in flight when time is up finishes and counts.</summary>
    private static async Task UploadAsync(HttpClient http, string token, LoadPlan plan, Stopwatch clock, LatencyRecorder uploads)
    {
        await Task.Yield();
        while (clock.Elapsed < plan.Duration)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var request = BenchHttp.UploadRequest(token, plan.UploadBytes);
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var latency = Stopwatch.GetElapsedTime(started);
                if (response.IsSuccessStatusCode)
                {
                    uploads.Record(latency, plan.UploadBytes);
                }
                else
                {
                    // The endpoint explains refusals in JSON ({ message, whatToDo }); an error page's HTML says nothing more than its status.
                    var reason = response.Content.Headers.ContentType?.MediaType == "application/json" ? " " + body[..Math.Min(body.Length, 300)] : "";
                    uploads.RecordError(latency, $"POST /Analyses/Upload: {(int)response.StatusCode} {response.ReasonPhrase}{reason}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                uploads.RecordError(Stopwatch.GetElapsedTime(started), $"POST /Analyses/Upload: {Describe(ex)}");
            }
        }
    }

    /// <summary>Why a page view failed, or null: any status but 2xx and 3xx, and a redirect to the sign-in page (a lost session).</summary>
    private static string? Problem(HttpResponseMessage response) => (int)response.StatusCode switch
    {
        >= 200 and < 300 => null,
        >= 300 and < 400 when BenchHttp.IsSignInRedirect(response) => "redirected to the sign-in page (the session was lost)",
        >= 300 and < 400 => null,
        var code => $"{code} {response.ReasonPhrase}",
    };

    private static string Describe(Exception ex) => ex is TaskCanceledException
        ? $"no answer within {RequestTimeout.TotalSeconds:0} s"
        : $"{ex.GetType().Name}: {ex.Message}";

    /// <summary>The first field of /proc/loadavg (Linux), or "n/a".</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static void Row(TextWriter stdout, string name, LatencySummary s, TimeSpan elapsed, bool megabytes = false)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        var mbPerSecond = megabytes ? (s.Bytes / 1048576.0 / seconds).ToString("0.0", CultureInfo.InvariantCulture) : "";
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-22} {s.Requests,9:N0} {s.Errors,7:N0} {s.P50,9:0.0} {s.P95,9:0.0} {s.P99,9:0.0} {s.Max,9:0.0} {s.Requests / seconds,8:0.0} {mbPerSecond,7}"));
    }

    private sealed record LoadPlan(
        string ConnectionString, TimeSpan Duration, int Users, int Uploaders, long UploadBytes, int Customers, bool WithWorker);

    private sealed record Browser(HttpClient Http, Guid AnalysisId);

    private sealed record Uploader(HttpClient Http, string Token);

    private sealed record Cast(
        IReadOnlyList<Browser> Browsers, IReadOnlyList<Uploader> Uploaders, IReadOnlyList<HttpClient> Clients, LatencyRecorder SignIns, TimeSpan SignInTime);

    /// <summary>The web process's resident memory every 100 ms, and its high-water mark, which also catches spikes between samples.</summary>
    private sealed class MemorySampler(PortalProcess portal)
    {
        private readonly CancellationTokenSource _stop = new();
        private long _peak;

        public async Task RunAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                _peak = Math.Max(_peak, portal.Memory().Rss);
                await Task.Delay(100, CancellationToken.None);
            }
        }

        public async Task<(long Rss, long PeakSampled, long HighWaterMark)> StopAsync(Task running)
        {
            await _stop.CancelAsync();
            await running;
            _stop.Dispose();
            var (rss, highWaterMark) = portal.Memory();
            return (rss, Math.Max(_peak, rss), highWaterMark);
        }
    }
}
