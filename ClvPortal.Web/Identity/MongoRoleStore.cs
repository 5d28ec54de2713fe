using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using MongoDB.Driver;

namespace ClvPortal.Web.Identity;

/// <summary>Identity's role store on MongoDB: one document per role in <c>roles</c>, claims embedded.</summary>
public sealed class MongoRoleStore : RoleStoreBase<PortalRole, string, IdentityUserRole<string>, IdentityRoleClaim<string>>
{
    public const string CollectionName = "roles";

    private readonly IMongoCollection<PortalRole> _roles;

    public MongoRoleStore(IMongoDatabase database, IdentityErrorDescriber? describer = null)
        : base(describer ?? new IdentityErrorDescriber())
    {
        IdentityMongoMapping.EnsureRegistered();
        _roles = database.GetCollection<PortalRole>(CollectionName);
    }

    public override IQueryable<PortalRole> Roles => _roles.AsQueryable();

    /// <summary>Creates the unique index on the normalized role name; safe to call at every start-up.</summary>
    public static async Task EnsureIndexesAsync(IMongoDatabase database, CancellationToken cancellationToken = default)
    {
        IdentityMongoMapping.EnsureRegistered();
        await database.GetCollection<PortalRole>(CollectionName).Indexes.CreateOneAsync(
            new CreateIndexModel<PortalRole>(
                Builders<PortalRole>.IndexKeys.Ascending(r => r.NormalizedName), new CreateIndexOptions { Unique = true }),
            cancellationToken: cancellationToken);
    }

    public override async Task<IdentityResult> CreateAsync(PortalRole role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(role);
        try
        {
            await _roles.InsertOneAsync(role, cancellationToken: cancellationToken);
            return IdentityResult.Success;
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            return IdentityResult.Failed(ErrorDescriber.DuplicateRoleName(role.Name ?? ""));
        }
    }

    public override async Task<IdentityResult> UpdateAsync(PortalRole role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(role);
        var expectedStamp = role.ConcurrencyStamp;
        role.ConcurrencyStamp = Guid.NewGuid().ToString();
        var result = await _roles.ReplaceOneAsync(
            r => r.Id == role.Id && r.ConcurrencyStamp == expectedStamp, role, cancellationToken: cancellationToken);
        if (result.MatchedCount == 0)
        {
            role.ConcurrencyStamp = expectedStamp;
            return IdentityResult.Failed(ErrorDescriber.ConcurrencyFailure());
        }
        return IdentityResult.Success;
    }

    public override async Task<IdentityResult> DeleteAsync(PortalRole role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(role);
        var result = await _roles.DeleteOneAsync(
            r => r.Id == role.Id && r.ConcurrencyStamp == role.ConcurrencyStamp, cancellationToken);
        return result.DeletedCount == 0 ? IdentityResult.Failed(ErrorDescriber.ConcurrencyFailure()) : IdentityResult.Success;
    }

    public override async Task<PortalRole?> FindByIdAsync(string id, CancellationToken cancellationToken = default) =>
        await _roles.Find(r => r.Id == id).FirstOrDefaultAsync(cancellationToken);

    public override async Task<PortalRole?> FindByNameAsync(string normalizedName, CancellationToken cancellationToken = default) =>
        await _roles.Find(r => r.NormalizedName == normalizedName).FirstOrDefaultAsync(cancellationToken);

    public override Task<IList<Claim>> GetClaimsAsync(PortalRole role, CancellationToken cancellationToken = default) =>
        Task.FromResult<IList<Claim>>([.. role.Claims.Select(c => new Claim(c.Type, c.Value))]);

    public override Task AddClaimAsync(PortalRole role, Claim claim, CancellationToken cancellationToken = default)
    {
        role.Claims.Add(new PortalUserClaim(claim.Type, claim.Value));
        return Task.CompletedTask;
    }

    public override Task RemoveClaimAsync(PortalRole role, Claim claim, CancellationToken cancellationToken = default)
    {
        role.Claims.RemoveAll(c => c.Type == claim.Type && c.Value == claim.Value);
        return Task.CompletedTask;
    }
}
