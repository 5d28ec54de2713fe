using System.Diagnostics;
using System.Globalization;
using ClvPortal.Web.Cli;
using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using ClvPortal.Web.Setup;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;

namespace ClvPortal.Bench;

/// <summary>
/// <c>bench-results [--customers 100000] [--runs 20] [--mongo &lt;connection string&gt;] [--keep]</c>: seeds one finished
/// analysis into a scratch database, then times (1) each query the results page and the customer table make, straight
/// through the driver, and (2) whole requests of the results dashboard served by the app's own pages on a loopback
/// port (the share view: the same dashboard partial and queries as the owner's page, without a login). Prints medians
/// and p95, and which store the figures came from.
/// </summary>
public static class BenchResultsCommand
{
    public const string Help = "Time the results page and customer table on a seeded analysis (default 100,000 customers).";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArguments.Parse(args, "keep").AllowOnly("customers", "runs", "keep", "mongo");
        var customers = (int)(parsed.Integer("customers") ?? 100_000);
        var runs = (int)(parsed.Integer("runs") ?? 20);
        if (customers < 1 || runs < 1)
        {
            parsed.Errors.Add("--customers and --runs must be at least 1.");
        }

        if (parsed.ReportErrors(stderr, "bench-results [--customers N] [--runs N] [--mongo CONNECTION-STRING] [--keep]"))
        {
            return 2;
        }

        var keep = parsed.Has("keep");
        var mongo = parsed.Text("mongo")
            ?? Environment.GetEnvironmentVariable("ConnectionStrings__Mongo")
            ?? "mongodb://127.0.0.1:27017";
        var database = $"clvbench_{Guid.NewGuid():N}"[..20];

        // The portal's assembly is the application, as WebApplicationFactory makes it: its pages and Identity UI are found from there.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ApplicationName = typeof(Program).Assembly.GetName().Name,
        });
        builder.Configuration["ConnectionStrings:Mongo"] = mongo;
        builder.Configuration["Portal:Database"] = database;
        builder.Logging.ClearProviders(); // the figures are the output
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddPortalData();
        // The same client, listening to the driver's command events: the store's share of a request is summed
        // per request, so the page's own work (total minus store) is visible whichever store answers.
        var store = new StoreTimer();
        builder.Services.AddSingleton<IMongoClient>(_ =>
        {
            var settings = MongoClientSettings.FromConnectionString(mongo);
            settings.ClusterConfigurator = c => c.Subscribe<CommandSucceededEvent>(e => store.Add(e.Duration));
            return new MongoClient(settings);
        });
        builder.AddPortalResults();
        builder.Services.AddAuthentication();
        builder.Services.AddAuthorization();
        builder.Services.AddRazorPages();
        await using var app = builder.Build();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();

        var db = app.Services.GetRequiredService<PortalDb>();
        try
        {
            var server = await db.Database.RunCommandAsync<BsonDocument>(new BsonDocument("buildInfo", 1));
            stdout.WriteLine($"Store: MongoDB {server.GetValue("version", "?")} at {new MongoUrl(mongo).Server}, scratch database {database}");

            // Documents first, indexes after: a bulk load builds each index once instead of maintaining it per insert.
            var seed = Stopwatch.StartNew();
            const string owner = "bench-owner";
            var uploadId = await SampleResults.SeedAsync(db, owner, customers);
            await db.EnsureIndexesAsync();
            stdout.WriteLine($"Seeded {customers:N0} customers and built the indexes in {seed.Elapsed.TotalSeconds:0.0} s");

            var (link, token) = ShareTokens.NewLink(uploadId, owner, DateTime.UtcNow, DateTime.UtcNow.AddDays(1));
            await db.ShareLinks.InsertOneAsync(link);

            var pageSize = app.Services.GetRequiredService<IOptions<ResultsOptions>>().Value.PageSize;
            var lastPage = (customers + pageSize - 1) / pageSize;
            stdout.WriteLine();
            stdout.WriteLine($"Queries through the driver, {runs} runs each:");
            await TimeAsync(stdout, "results: analysis document + upload + at-risk top 10", runs, () => Dashboard.LoadAsync(db, uploadId, owner, default));
            foreach (var (name, request) in new (string, CustomerTableRequest)[]
            {
                ("table: by CLV, page 1", new(CustomerSort.Clv, true, CustomerFilter.All, 1)),
                ("table: by P(alive), page 1", new(CustomerSort.Alive, true, CustomerFilter.All, 1)),
                ("table: by revenue ascending, page 1", new(CustomerSort.Revenue, false, CustomerFilter.All, 1)),
                ($"table: by CLV, last page ({lastPage:N0})", new(CustomerSort.Clv, true, CustomerFilter.All, lastPage)),
                ("table: search \"c0001\"", new(CustomerSort.Clv, true, new CustomerFilter(Search: "c0001"), 1)),
            })
            {
                await TimeAsync(stdout, name, runs, () => CustomerTable.QueryAsync(db, uploadId, owner, customers, request, pageSize, default));
            }

            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            stdout.WriteLine();
            stdout.WriteLine($"Whole requests served by the app on {address} (queries + Razor rendering + chart data), {runs} runs:");
            await TimeAsync(stdout, "GET results dashboard (/s/{token})", runs, async () =>
            {
                using var response = await http.GetAsync(new Uri($"/s/{token}", UriKind.Relative));
                response.EnsureSuccessStatusCode();
                return await response.Content.ReadAsStringAsync();
            }, store);
            await app.StopAsync();
            return 0;
        }
        catch (TimeoutException ex)
        {
            stderr.WriteLine($"Could not reach MongoDB at {mongo}: {ex.Message}\nStart one, or pass --mongo <connection string>.");
            return 2;
        }
        finally
        {
            if (!keep)
            {
                try
                {
                    await db.Database.Client.DropDatabaseAsync(database);
                }
                catch (TimeoutException)
                {
                    // Unreachable store: nothing was created to drop.
                }
            }
        }
    }

    private static async Task TimeAsync<T>(TextWriter stdout, string name, int runs, Func<Task<T>> action, StoreTimer? store = null)
    {
        await action(); // warm-up: connection pool, JIT, Razor compilation
        var times = new List<double>(runs);
        var own = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            store?.Reset();
            var watch = Stopwatch.StartNew();
            await action();
            times.Add(watch.Elapsed.TotalMilliseconds);
            own.Add(watch.Elapsed.TotalMilliseconds - (store?.Milliseconds ?? 0));
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-58} median {Median(times),8:0.0} ms   p95 {P95(times),8:0.0} ms"));
        if (store is not null)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"  of which the page's own work (minus time in the store)",-58} median {Median(own),8:0.0} ms   p95 {P95(own),8:0.0} ms"));
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static double P95(List<double> values) => values.Order().ElementAt(Math.Min(values.Count - 1, (int)Math.Ceiling(values.Count * 0.95) - 1));

    /// <summary>Sums the time the store took for the commands it answered since the last reset.</summary>
    private sealed class StoreTimer
    {
        private long _ticks;

        public double Milliseconds => TimeSpan.FromTicks(Interlocked.Read(ref _ticks)).TotalMilliseconds;

        public void Add(TimeSpan duration) => Interlocked.Add(ref _ticks, duration.Ticks);

        public void Reset() => Interlocked.Exchange(ref _ticks, 0);
    }
}
