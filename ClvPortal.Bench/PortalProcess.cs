using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using MongoDB.Bson;
using MongoDB.Driver;

namespace ClvPortal.Bench;

/// <summary>
/// The built portal (<c>ClvPortal.Web.dll</c>, copied beside this assembly) running as its own operating-system
/// process on a loopback port, against one database of a MongoDB, in the role <c>Portal:Roles</c> says ("web",
/// "worker" or both). The bench commands measure it over HTTP (its memory is then the web app's alone, and the
/// client's work does not share its thread pool); the fleet tests kill it outright (SIGKILL), as a crashed machine
/// would be. The last lines it wrote are kept for failure messages; disposing kills it.
/// </summary>
public sealed partial class PortalProcess : IAsyncDisposable
{
    /// <summary>Lines of output kept per process: enough to show a crash, bounded for a chatty one.</summary>
    private const int KeptLines = 400;

    /// <summary>Processes not disposed yet, killed when this process ends however it ends (short of being killed itself).</summary>
    private static readonly HashSet<Process> s_running = [];

    /// <summary>How long a start may take on a busy machine: the bench commands wait this long for <c>/healthz</c>.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly Queue<string> _lines = new();
    private readonly TextWriter? _log;
    private readonly Lazy<IMongoDatabase> _database;

    static PortalProcess() => AppDomain.CurrentDomain.ProcessExit += KillLeftovers;

    private PortalProcess(string name, Process process, Uri baseAddress, string connectionString, string database, TextWriter? log)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
        Database = database;
        _log = log;
        _database = new(() => new MongoClient(connectionString).GetDatabase(database));
    }

    /// <summary>A short name for messages and log lines, e.g. "web" or "worker-2".</summary>
    public string Name { get; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Where it listens (every role answers HTTP, at least <c>/healthz</c>).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The database it works in (<c>Portal:Database</c>).</summary>
    public string Database { get; }

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
    /// Starts <c>dotnet ClvPortal.Web.dll --urls http://127.0.0.1:&lt;free port&gt;</c> in <paramref name="environmentName"/>
    /// with <paramref name="roles"/>, on <paramref name="database"/> of the MongoDB at <paramref name="connectionString"/>.
    /// It logs warnings and errors, plus where it listens and that it stopped; each line also goes to
    /// <paramref name="log"/>, when given, prefixed with the name. <paramref name="settings"/> are configuration keys
    /// in their ":" form (e.g. <c>Email:Port</c>), passed as environment variables.
    /// </summary>
    public static PortalProcess Start(
        string name,
        string environmentName,
        string connectionString,
        string database,
        string roles,
        IReadOnlyDictionary<string, string>? settings = null,
        TextWriter? log = null)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var logging = new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Hangfire"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        var start = StartInfo(environmentName, connectionString, database, roles, baseAddress, logging.Concat(settings ?? new Dictionary<string, string>()).ToDictionary());
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the portal: {start.FileName} {string.Join(' ', start.ArgumentList)}.");
        lock (s_running)
        {
            s_running.Add(process);
        }

        var portal = new PortalProcess(name, process, baseAddress, connectionString, database, log);
        // The console logger writes to stdout: both streams are the process's log.
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
                    using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
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
        var servers = _database.Value.GetCollection<BsonDocument>(prefix + ".server");
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

    /// <summary>Current and peak (VmHWM, whole life) resident set size in bytes, from /proc; zeros where there is no /proc.</summary>
    public (long Rss, long Peak) Memory()
    {
        var status = $"/proc/{_process.Id}/status";
        long rss = 0, peak = 0;
        try
        {
            foreach (var line in File.ReadLines(status))
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
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or the process is gone.
        }

        return (rss, peak);

        static long Kilobytes(string line) =>
            long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
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

    /// <summary>The connection string with any user name and password replaced, for printing.</summary>
    public static string Redact(string connectionString) => CredentialsInUri().Replace(connectionString, "//***@");

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// How to start the web assembly beside this code: the bench's binaries, or a test run's output folder, both
    /// hold ClvPortal.Web.dll with its runtimeconfig and deps files. It runs through the dotnet host, whichever
    /// process this is (the bench, or a test host), in the assembly's folder so its appsettings files and models/ are found.
    /// </summary>
    private static ProcessStartInfo StartInfo(
        string environmentName,
        string connectionString,
        string database,
        string roles,
        Uri baseAddress,
        IReadOnlyDictionary<string, string> settings)
    {
        var web = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(web)!,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(web);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.GetLeftPart(UriPartial.Authority));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environmentName;
        start.Environment["ConnectionStrings__Mongo"] = connectionString;
        start.Environment["Portal__Database"] = database;
        start.Environment["Portal__Roles"] = roles;
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }

    /// <summary>The dotnet executable of the running runtime (…/dotnet/shared/Microsoft.NETCore.App/&lt;version&gt;/).</summary>
    private static string DotnetHost()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && Path.GetFileName(self).Equals(name, StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, name);
        return File.Exists(host) ? host : name;
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

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log?.WriteLine($"[{Name}] {line}");
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

    [GeneratedRegex("//[^/@]+@")]
    private static partial Regex CredentialsInUri();
}
