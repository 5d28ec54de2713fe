using System.Net;
using System.Net.Sockets;
using MongoDB.Driver;

namespace ClvPortal.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of the test MongoDB that a test can cut and restore, as a network
/// partition or a restarting server would: <see cref="Cut"/> closes every open connection and drops new
/// ones at once, <see cref="Restore"/> lets them through again. Point a portal process at
/// <see cref="ConnectionString"/> to give it a MongoDB that goes away.
/// </summary>
public sealed class MongoOutage : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly DnsEndPoint _target;
    private readonly List<TcpClient> _open = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _cut;

    public MongoOutage(string targetConnectionString)
    {
        var server = MongoUrl.Create(targetConnectionString).Server;
        _target = new DnsEndPoint(server.Host, server.Port);
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>
    /// A connection string through the relay: a direct connection (a replica set would name its real members),
    /// and short timeouts so operations fail within a second or two while the relay is cut.
    /// </summary>
    public string ConnectionString =>
        $"mongodb://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/?directConnection=true&serverSelectionTimeoutMS=1000&connectTimeoutMS=1000";

    /// <summary>When the relay was last cut; null while it never was.</summary>
    public DateTime? CutAt { get; private set; }

    public void Cut()
    {
        lock (_gate)
        {
            _cut = true;
            CutAt = DateTime.UtcNow;
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            if (_cut)
            {
                client.Dispose();
                continue;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var server = new TcpClient();
        try
        {
            await server.ConnectAsync(_target.Host, _target.Port, _stop.Token);
            lock (_gate)
            {
                if (_cut)
                {
                    return;
                }

                _open.Add(client);
                _open.Add(server);
            }

            using var ended = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = client.GetStream().CopyToAsync(server.GetStream(), ended.Token);
            var down = server.GetStream().CopyToAsync(client.GetStream(), ended.Token);
            await Task.WhenAny(up, down);
            await ended.CancelAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A cut or a closed side ends the relay; the MongoDB driver sees the closed connection.
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove(client);
                _open.Remove(server);
            }

            client.Dispose();
            server.Dispose();
        }
    }
}
