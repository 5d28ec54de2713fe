using System.Diagnostics;
using System.Text.RegularExpressions;
using MongoDB.Driver;

namespace ClvPortal.Tests.Infrastructure;

/// <summary>
/// The MongoDB the tests talk to: the server named by the environment variable
/// <c>CLVPORTAL_TEST_MONGO</c> (a connection string) when set, otherwise the bundled test server
/// (<c>MongoTestServer/fakemongod.py</c>) started once per test run on a free loopback port.
/// Tests isolate themselves by database name (<see cref="NewDatabaseName"/>), not by server.
/// </summary>
public sealed partial class MongoServerFixture : IDisposable
{
    public const string ConnectionStringVariable = "CLVPORTAL_TEST_MONGO";

    private static readonly Lazy<MongoServerFixture> s_instance = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Process? _server;

    private MongoServerFixture(string connectionString, Process? server)
    {
        ConnectionString = connectionString;
        _server = server;
        Client = new MongoClient(connectionString);
    }

    /// <summary>The one server of this test run (started on first use, stopped when the process exits).</summary>
    public static MongoServerFixture Instance => s_instance.Value;

    public string ConnectionString { get; }

    /// <summary>True when the tests run against the bundled test server rather than a real MongoDB.</summary>
    public bool IsTestServer => _server is not null;

    /// <summary>A client for test setup and assertions (the app under test builds its own).</summary>
    public IMongoClient Client { get; }

    /// <summary>
    /// A database name no other test uses: <paramref name="owner"/> (usually the test class) plus a
    /// random suffix, within MongoDB's 63-character limit.
    /// </summary>
    public static string NewDatabaseName(string owner)
    {
        var cleaned = UnsafeNameCharacters().Replace(owner, "_");
        if (cleaned.Length > 40)
        {
            cleaned = cleaned[^40..];
        }
        return $"t_{cleaned}_{Guid.NewGuid():N}"[..(cleaned.Length + 15)];
    }

    public IMongoDatabase Database(string name) => Client.GetDatabase(name);

    public void Dispose()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit(5000);
        }
        _server?.Dispose();
    }

    private static MongoServerFixture Start()
    {
        // Tests read the portal's documents, sometimes before any in-process host has registered its BSON
        // conventions (portal processes register theirs in their own process): register them first.
        ClvPortal.Web.Setup.DataSetup.RegisterConventions();
        var given = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        var fixture = string.IsNullOrWhiteSpace(given) ? StartTestServer(0) : new MongoServerFixture(given, null);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => fixture.Dispose();
        return fixture;
    }

    /// <summary>
    /// Another bundled test server on <paramref name="port"/> (0: a free one), for tests that need a
    /// server appearing at a known address; dispose it to stop it.
    /// </summary>
    public static MongoServerFixture StartTestServer(int port)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Infrastructure", "MongoTestServer", "fakemongod.py");
        // Debian's interpreter: the test server needs Debian's python3-mockupdb/python3-mongomock,
        // which a pyenv or venv python3 earlier on PATH would not see.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python)
        {
            ArgumentList = { script, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--exit-with-stdin" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python} {script}.");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();

        // Port 0 lets the server pick a free port, so parallel test runs never collide; the ready line names it.
        var readLine = process.StandardOutput.ReadLineAsync();
        if (!readLine.Wait(TimeSpan.FromSeconds(30)) || readLine.Result is not { } line || ReadyLine().Match(line) is not { Success: true } ready)
        {
            process.Kill(entireProcessTree: true);
            string stderr;
            lock (errors)
            {
                stderr = errors.ToString();
            }
            throw new InvalidOperationException(
                "The MongoDB test server did not start. Install its packages (apt-get install python3-mockupdb python3-mongomock, "
                + $"or run ./test.sh), or set {ConnectionStringVariable} to a MongoDB connection string.\n{stderr}");
        }

        // Keep draining stdout so a chatty server never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        return new MongoServerFixture($"mongodb://127.0.0.1:{ready.Groups[1].Value}", process);
    }

    [GeneratedRegex(@"ready on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ReadyLine();

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex UnsafeNameCharacters();
}
