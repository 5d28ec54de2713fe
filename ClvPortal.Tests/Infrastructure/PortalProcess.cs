using System.Diagnostics;
using System.Globalization;
using System.Net;
using WebProcess = ClvPortal.Web.Cli.PortalProcess;
using System.Text;
using MongoDB.Bson;
using MongoDB.Driver;

namespace ClvPortal.Tests.Infrastructure;

/// <summary>
/// The built portal (<c>ClvPortal.Web.dll</c>) running as its own operating-system process against
/// the test MongoDB, as one member of a fleet: <c>Portal:Roles</c> "web", "worker" or both. Unlike
/// <see cref="Web.PortalWebFactory"/>, it can be killed outright (SIGKILL), as a crashed machine would
/// be. Its standard output and error are kept (the last lines) for failure messages; disposing kills it.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    /// <summary>Lines of output kept per process: enough to show a crash, bounded for a chatty one.</summary>
    private const int KeptLines = 400;

    /// <summary>Processes not disposed yet, killed when the test run ends however it ends (short of being killed itself).</summary>
    private static readonly HashSet<Process> s_running = [];

    private readonly Process _process;

    static PortalProcess() => AppDomain.CurrentDomain.ProcessExit += KillLeftovers;
    private readonly Queue<string> _lines = new();
    private readonly IMongoDatabase _database;

    private PortalProcess(string name, Process process, Uri baseAddress, IMongoDatabase database)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
        _database = database;
    }

    /// <summary>A short name for messages, e.g. "worker-2".</summary>
    public string Name { get; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Where it listens (every role answers HTTP, at least <c>/healthz</c>).</summary>
    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The Hangfire server id of a worker (host:pid:guid), once <see cref="WaitForJobServerAsync"/> has seen it.</summary>
    public string? JobServerId { get; private set; }

    /// <summary>The last lines the process wrote, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>
    /// Starts <c>dotnet ClvPortal.Web.dll --urls http://127.0.0.1:&lt;free port&gt;</c> with the given role on
    /// <paramref name="databaseName"/> of the test MongoDB. <paramref name="settings"/> are configuration
    /// keys in their <c>:</c> form (e.g. <c>Email:Port</c>), passed as environment variables.
    /// </summary>
    public static PortalProcess Start(string name, string roles, string databaseName, IReadOnlyDictionary<string, string>? settings = null)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{WebProcess.FreePort()}");
        // Warnings and errors, plus the lines saying where it listens and that it stopped.
        var logging = new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Hangfire"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        // Development: in Production the sign-in and antiforgery cookies require HTTPS, and these tests speak plain HTTP over loopback.
        var start = WebProcess.StartInfo(
            "Development",
            MongoServerFixture.Instance.ConnectionString,
            databaseName,
            roles,
            baseAddress,
            logging.Concat(settings ?? new Dictionary<string, string>()).ToDictionary());
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the portal: {start.FileName} {string.Join(' ', start.ArgumentList)}.");
        lock (s_running)
        {
            s_running.Add(process);
        }

        var portal = new PortalProcess(name, process, baseAddress, MongoServerFixture.Instance.Database(databaseName));
        process.OutputDataReceived += (_, e) => portal.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return portal;
    }

    /// <summary>A client of this process that keeps cookies and does not follow redirects.</summary>
    public HttpClient CreateClient() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(100),
        };

    /// <summary>Waits until <c>/healthz</c> answers 200 (it listens and MongoDB answers its ping).</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        await UntilAsync(
            async () =>
            {
                try
                {
                    using var response = await http.GetAsync("/healthz");
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            },
            timeout,
            "/healthz to answer 200");
    }

    /// <summary>
    /// Waits until this process's Hangfire server has registered in the <c>&lt;prefix&gt;.server</c>
    /// collection (its id is host:pid:guid), i.e. it is fetching jobs; returns that id.
    /// </summary>
    public async Task<string> WaitForJobServerAsync(TimeSpan timeout, string prefix = "hangfire")
    {
        var servers = _database.GetCollection<BsonDocument>(prefix + ".server");
        var marker = $":{Id}:";
        await UntilAsync(
            async () =>
            {
                var ids = await servers.Find(FilterDefinition<BsonDocument>.Empty).Project(s => s["_id"]).ToListAsync();
                JobServerId = ids.Select(i => i.ToString()).FirstOrDefault(i => i!.Contains(marker, StringComparison.Ordinal));
                return JobServerId is not null;
            },
            timeout,
            "its Hangfire server to register");
        return JobServerId!;
    }

    /// <summary>Kills the process and everything it started at once (SIGKILL: no shutdown, no cleanup), and waits for it to go.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            lock (s_running)
            {
                s_running.Remove(_process);
            }

            _process.Dispose();
        }
    }

    private static void KillLeftovers(object? sender, EventArgs e)
    {
        lock (s_running)
        {
            foreach (var process in s_running.Where(p => !p.HasExited))
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

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

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
        }
    }

    private async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} while waiting for {what}.\n{Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {Name} ({what}).\n{Output}");
            }

            await Task.Delay(200);
        }
    }
}

/// <summary>A failed test about portal processes, its message followed by what the processes printed.</summary>
public sealed class PortalProcessTestException(string message, Exception inner) : Exception(message, inner);
