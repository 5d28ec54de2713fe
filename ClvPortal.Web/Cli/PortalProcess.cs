using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using MongoDB.Driver;

namespace ClvPortal.Web.Cli;

/// <summary>
/// The portal as its own process on a loopback port, against a throw-away database of the given MongoDB,
/// for the bench commands that measure it over HTTP: its memory is then the web app's alone, and the
/// client's work does not share its thread pool. Disposing kills it and drops the database.
/// </summary>
internal sealed partial class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _connectionString;
    private readonly TextWriter _log;

    private PortalProcess(Process process, string connectionString, TextWriter log, string database, Uri baseAddress)
    {
        _process = process;
        _connectionString = connectionString;
        _log = log;
        Database = database;
        BaseAddress = baseAddress;
    }

    /// <summary>The scratch database this process works in, dropped on dispose.</summary>
    public string Database { get; }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    /// <summary>
    /// Starts ClvPortal.Web.dll in Production with <paramref name="roles"/> (<c>Portal:Roles</c>); its log lines
    /// (warnings and errors) go to <paramref name="log"/>, prefixed "[web]".
    /// </summary>
    public static PortalProcess Start(string connectionString, string databasePrefix, string roles, TextWriter log)
    {
        var database = $"{databasePrefix}_{Guid.NewGuid():N}"[..(databasePrefix.Length + 13)];
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var settings = new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Hangfire"] = "Warning",
        };
        // The bench clients play the TLS-terminating proxy of a production deployment (BenchHttp). The portal
        // trusts X-Forwarded-Proto/-For from a loopback proxy, so the Secure cookies work over loopback HTTP and
        // each client has its own address for the sign-in rate limit.
        var process = Process.Start(StartInfo("Production", connectionString, database, roles, baseAddress, settings)) ?? throw new InvalidOperationException("Could not start the web process.");
        // The console logger writes to stdout: both streams are the process's log.
        DataReceivedEventHandler forward = (_, e) =>
        {
            if (e.Data is not null)
            {
                log.WriteLine("[web] " + e.Data);
            }
        };
        process.OutputDataReceived += forward;
        process.ErrorDataReceived += forward;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new PortalProcess(process, connectionString, log, database, baseAddress);
    }

    /// <summary>
    /// How to start the web assembly beside this code as its own process: the command's own binaries, or a
    /// test run's output folder, which holds ClvPortal.Web.dll with its runtimeconfig and deps files. It runs
    /// through the dotnet host, whichever process this is (the app, or a test host), in the assembly's folder
    /// so its appsettings files and models/ are found. <paramref name="settings"/> are configuration keys in
    /// their ":" form (e.g. <c>Email:Port</c>), passed as environment variables.
    /// </summary>
    internal static ProcessStartInfo StartInfo(
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

    /// <summary>Waits for <c>/healthz</c> to answer 200 (MongoDB reachable, app started).</summary>
    public async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The web process exited with code {_process.ExitCode} while starting.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("The web process did not become healthy within 90 s.");
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            await new MongoClient(_connectionString).DropDatabaseAsync(Database);
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            await _log.WriteLineAsync($"Could not drop the scratch database {Database}: {ex.Message}");
        }
    }

    /// <summary>The connection string with any user name and password replaced, for printing.</summary>
    public static string Redact(string connectionString) => CredentialsInUri().Replace(connectionString, "//***@");

    /// <summary>A loopback port nobody listens on right now.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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

    [GeneratedRegex("//[^/@]+@")]
    private static partial Regex CredentialsInUri();
}
