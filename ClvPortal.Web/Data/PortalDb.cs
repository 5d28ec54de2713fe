using MongoDB.Driver;

namespace ClvPortal.Web.Data;

/// <summary>
/// The portal's MongoDB database with one typed property per collection. No repository on top:
/// an <see cref="IMongoCollection{TDocument}"/> already is one.
/// </summary>
public sealed class PortalDb(IMongoDatabase database)
{
    public IMongoDatabase Database { get; } = database;
}
