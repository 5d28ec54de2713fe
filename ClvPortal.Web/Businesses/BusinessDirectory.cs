using ClvPortal.Web.Data;
using MongoDB.Driver;

namespace ClvPortal.Web.Businesses;

/// <summary>One owner's businesses: listed, found, created once per name, and given the analyses that have none.</summary>
public static class BusinessDirectory
{
    /// <summary>The owner's businesses by name.</summary>
    public static async Task<List<BusinessDocument>> ListAsync(PortalDb db, string ownerId, CancellationToken ct)
    {
        var businesses = await db.Businesses.Find(Owned.Businesses(ownerId)).ToListAsync(ct);
        return [.. businesses.OrderBy(b => b.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The owner's business, or null (someone else's looks exactly like a missing one).</summary>
    public static async Task<BusinessDocument?> FindAsync(PortalDb db, string ownerId, Guid id, CancellationToken ct) =>
        await db.Businesses.Find(Owned.Business(ownerId, id)).FirstOrDefaultAsync(ct);

    /// <summary>
    /// The owner's business of that name (ignoring case), created when there is none. Safe when several processes
    /// ask at once: the unique (owner, name) index lets one insert win and the others read it.
    /// </summary>
    public static async Task<BusinessDocument> FindOrCreateAsync(PortalDb db, string ownerId, string name, DateTime now, CancellationToken ct)
    {
        var key = BusinessNames.Key(name);
        if (await db.Businesses.Find(Owned.Businesses(ownerId, b => b.NameKey == key)).FirstOrDefaultAsync(ct) is { } existing)
        {
            return existing;
        }

        var created = new BusinessDocument { Id = Guid.NewGuid(), OwnerId = ownerId, Name = name, NameKey = key, CreatedAt = now };
        try
        {
            await db.Businesses.InsertOneAsync(created, cancellationToken: ct);
            return created;
        }
        catch (MongoWriteException ex) when (ex.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            return await db.Businesses.Find(Owned.Businesses(ownerId, b => b.NameKey == key)).FirstAsync(ct);
        }
    }

    /// <summary>
    /// The business an upload goes to: the chosen one when it is the owner's (null when it is not), the new one by
    /// its name, or the owner's default.
    /// </summary>
    public static async Task<BusinessDocument?> ResolveAsync(PortalDb db, string ownerId, BusinessChoice choice, DateTime now, CancellationToken ct) =>
        choice.ExistingId is { } id
            ? await FindAsync(db, ownerId, id, ct)
            : await FindOrCreateAsync(db, ownerId, choice.NewName ?? BusinessNames.Default, now, ct);

    /// <summary>
    /// Gives the owner's analyses stored before businesses existed (no business) one: "My business", or
    /// "Sample shop" for the generated sample. Lazy instead of a start-up migration: it runs when a page lists the
    /// owner's analyses, costs one indexed query when there is nothing to do, and can run in several processes at
    /// once (each sets only uploads that still have no business, and all find the same business by name).
    /// </summary>
    public static async Task AdoptAsync(PortalDb db, string ownerId, DateTime now, CancellationToken ct)
    {
        var orphans = await db.Uploads.Find(Owned.Uploads(ownerId, u => u.BusinessId == null)).Project(u => u.IsSample).ToListAsync(ct);
        foreach (var sample in orphans.Distinct())
        {
            var business = await FindOrCreateAsync(db, ownerId, sample ? BusinessNames.Sample : BusinessNames.Default, now, ct);
            await db.Uploads.UpdateManyAsync(
                Owned.Uploads(ownerId, u => u.BusinessId == null && u.IsSample == sample),
                Builders<UploadDocument>.Update.Set(u => u.BusinessId, business.Id),
                cancellationToken: ct);
        }
    }
}
