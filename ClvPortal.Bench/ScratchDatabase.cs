using MongoDB.Driver;

namespace ClvPortal.Bench;

/// <summary>A throw-away database on the MongoDB a bench command was given, dropped when the command is done with it.</summary>
internal sealed class ScratchDatabase(string connectionString, string prefix, TextWriter log) : IAsyncDisposable
{
    /// <summary>The prefix and 12 random hex digits: a fresh name per run, short enough for any MongoDB.</summary>
    public string Name { get; } = $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public async ValueTask DisposeAsync()
    {
        try
        {
            await new MongoClient(connectionString).DropDatabaseAsync(Name);
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            await log.WriteLineAsync($"Could not drop the scratch database {Name}: {ex.Message}");
        }
    }
}
