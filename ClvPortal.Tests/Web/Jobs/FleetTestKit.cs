using System.Globalization;
using System.Text;
using ClvPortal.Bench;
using ClvPortal.Tests.Infrastructure;
using ClvPortal.Tests.Web.Analyses;
using ClvPortal.Web.Data;
using MimeKit;
using MongoDB.Bson;
using MongoDB.Driver;
using netDumbster.smtp;

namespace ClvPortal.Tests.Web.Jobs;

/// <summary>What the fleet tests share: process settings, the oracle for a generated file, and counting emails.</summary>
internal static class FleetTestKit
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Starts one member of a test fleet: the built portal on <paramref name="databaseName"/> of the test MongoDB, in
    /// Development (in Production the sign-in and antiforgery cookies require HTTPS, and these tests speak plain HTTP over loopback).
    /// </summary>
    public static PortalProcess Start(string name, string roles, string databaseName, IReadOnlyDictionary<string, string>? settings = null) =>
        PortalProcess.Start(name, "Development", MongoServerFixture.Instance.ConnectionString, databaseName, roles, settings);

    /// <summary>
    /// Runs <paramref name="test"/>; when it throws, throws again with the output of every process in
    /// <paramref name="processes"/> (read at that moment, so processes started during the test count).
    /// </summary>
    public static async Task ShowOutputOnFailureAsync(IEnumerable<PortalProcess> processes, Func<Task> test)
    {
        try
        {
            await test();
        }
        catch (Exception e)
        {
            var text = new StringBuilder(e.Message);
            foreach (var process in processes.ToList())
            {
                text.Append(CultureInfo.InvariantCulture, $"\n\n--- {process.Name} (pid {process.Id}{(process.HasExited ? ", exited" : "")}) ---\n{process.Output}");
            }

            throw new PortalProcessTestException(text.ToString(), e);
        }
    }

    /// <summary>Settings every process of one test fleet gets: the test's SMTP server and quick polling.</summary>
    public static Dictionary<string, string> Settings(SimpleSmtpServer smtp) => new(EmailTestKit.SmtpSettings(smtp.Configuration.Port))
    {
        ["Portal:PublicBaseUrl"] = "https://clv.example.test",
        ["Portal:Jobs:PollInterval"] = "00:00:00.500",
        ["Portal:Uploads:ProgressIntervalMs"] = "200",
    };

    /// <summary>
    /// A shop's export with long histories: <paramref name="customers"/> customers buying about
    /// <paramref name="ordersEach"/> times each over two years, amounts 10 to 200. Many rows for few
    /// customers: the analysis reads for seconds, while the results stay small for the test MongoDB.
    /// </summary>
    public static byte[] LongHistoryCsv(int customers, int ordersEach, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("customer_id,order_date,amount\n");
        var start = new DateOnly(2023, 1, 1);
        for (var c = 1; c <= customers; c++)
        {
            var orders = 1 + random.Next(2 * ordersEach);
            for (var o = 0; o < orders; o++)
            {
                text.Append(CultureInfo.InvariantCulture, $"K{seed}-{c:D5},{start.AddDays(random.Next(730)):yyyy-MM-dd},{10 + (random.NextDouble() * 190):0.00}\n");
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>What the file holds, counted from its text without the portal's code: distinct customer ids and the sum of the amounts.</summary>
    public static (int Customers, double Revenue) Expected(byte[] csv)
    {
        var customers = new HashSet<string>(StringComparer.Ordinal);
        var revenue = 0.0;
        foreach (var line in Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var fields = line.Split(',');
            customers.Add(fields[0]);
            revenue += double.Parse(fields[^1], CultureInfo.InvariantCulture);
        }

        return (customers.Count, revenue);
    }

    /// <summary>The analysis emails (not sign-up confirmations) the SMTP server received for <paramref name="to"/>.</summary>
    public static List<MimeMessage> AnalysisEmails(SimpleSmtpServer smtp, string to) =>
        [.. EmailTestKit.ReceivedMessages(smtp)
            .Where(m => m.Subject != EmailTestKit.SignUpConfirmationSubject
                && m.To.Mailboxes.Any(a => a.Address.Equals(to, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>
    /// Waits until Hangfire has nothing left to run: no job enqueued, processing, scheduled (a retry) or
    /// awaiting. After it, every email that will ever be sent has been sent, so counting them is final.
    /// </summary>
    public static Task WaitUntilJobsSettledAsync(IMongoDatabase database, TimeSpan timeout, string prefix = "hangfire")
    {
        var jobs = database.GetCollection<BsonDocument>(prefix + ".jobGraph");
        var pending = new BsonDocument
        {
            ["_t"] = "JobDto",
            ["StateName"] = new BsonDocument("$in", new BsonArray { "Enqueued", "Processing", "Scheduled", "Awaiting" }),
        };
        return Poll.UntilAsync(async () => await jobs.CountDocumentsAsync(pending) == 0, timeout, "Hangfire to run every job");
    }

    public static async Task<UploadDocument> UploadAsync(IMongoDatabase database, Guid id) =>
        await new PortalDb(database).Uploads.Find(u => u.Id == id).FirstAsync();
}

/// <summary>A failed test about portal processes, its message followed by what the processes printed.</summary>
public sealed class PortalProcessTestException(string message, Exception inner) : Exception(message, inner);
