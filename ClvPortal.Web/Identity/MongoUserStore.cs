using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using MongoDB.Driver;

namespace ClvPortal.Web.Identity;

/// <summary>
/// ASP.NET Core Identity's user store on MongoDB: one document per user in <c>users</c>.
/// Claims, roles, logins and tokens live inside the user document, so the base class's
/// "change the user, then <see cref="UpdateAsync"/>" contract persists them in one replace.
/// Writes are guarded by the concurrency stamp (like Identity's EF store) and by unique indexes
/// on the normalized email and user name (<see cref="EnsureIndexesAsync"/>).
/// </summary>
public sealed class MongoUserStore
    : UserStoreBase<PortalUser, PortalRole, string, IdentityUserClaim<string>, IdentityUserRole<string>,
        IdentityUserLogin<string>, IdentityUserToken<string>, IdentityRoleClaim<string>>
{
    public const string CollectionName = "users";

    private readonly IMongoCollection<PortalUser> _users;
    private readonly IMongoCollection<PortalRole> _roles;

    public MongoUserStore(IMongoDatabase database, IdentityErrorDescriber? describer = null)
        : base(describer ?? new IdentityErrorDescriber())
    {
        IdentityMongoMapping.EnsureRegistered();
        _users = database.GetCollection<PortalUser>(CollectionName);
        _roles = database.GetCollection<PortalRole>(MongoRoleStore.CollectionName);
    }

    public override IQueryable<PortalUser> Users => _users.AsQueryable();

    /// <summary>Creates the unique indexes; safe to call at every start-up (creating an existing index is a no-op).</summary>
    public static async Task EnsureIndexesAsync(IMongoDatabase database, CancellationToken cancellationToken = default)
    {
        IdentityMongoMapping.EnsureRegistered();
        var keys = Builders<PortalUser>.IndexKeys;
        var unique = new CreateIndexOptions { Unique = true };
        // Every portal account has an email (it is also the user name), so plain unique indexes suffice.
        await database.GetCollection<PortalUser>(CollectionName).Indexes.CreateManyAsync(
            [
                new CreateIndexModel<PortalUser>(keys.Ascending(u => u.NormalizedEmail), unique),
                new CreateIndexModel<PortalUser>(keys.Ascending(u => u.NormalizedUserName), unique),
                new CreateIndexModel<PortalUser>(keys.Ascending(u => u.Roles)),
            ],
            cancellationToken);
    }

    public override async Task<IdentityResult> CreateAsync(PortalUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        try
        {
            await _users.InsertOneAsync(user, cancellationToken: cancellationToken);
            return IdentityResult.Success;
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            // Identity's validator checks uniqueness first; this is the race two sign-ups can still lose.
            return IdentityResult.Failed(ErrorDescriber.DuplicateEmail(user.Email ?? user.UserName ?? ""));
        }
    }

    public override async Task<IdentityResult> UpdateAsync(PortalUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var expectedStamp = user.ConcurrencyStamp;
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        try
        {
            var result = await _users.ReplaceOneAsync(
                u => u.Id == user.Id && u.ConcurrencyStamp == expectedStamp, user, cancellationToken: cancellationToken);
            if (result.MatchedCount == 0)
            {
                user.ConcurrencyStamp = expectedStamp;
                return IdentityResult.Failed(ErrorDescriber.ConcurrencyFailure());
            }
            return IdentityResult.Success;
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            user.ConcurrencyStamp = expectedStamp;
            return IdentityResult.Failed(ErrorDescriber.DuplicateEmail(user.Email ?? user.UserName ?? ""));
        }
    }

    public override async Task<IdentityResult> DeleteAsync(PortalUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var result = await _users.DeleteOneAsync(
            u => u.Id == user.Id && u.ConcurrencyStamp == user.ConcurrencyStamp, cancellationToken);
        return result.DeletedCount == 0 ? IdentityResult.Failed(ErrorDescriber.ConcurrencyFailure()) : IdentityResult.Success;
    }

    public override async Task<PortalUser?> FindByIdAsync(string userId, CancellationToken cancellationToken = default) =>
        await _users.Find(u => u.Id == userId).FirstOrDefaultAsync(cancellationToken);

    public override async Task<PortalUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken = default) =>
        await _users.Find(u => u.NormalizedUserName == normalizedUserName).FirstOrDefaultAsync(cancellationToken);

    public override async Task<PortalUser?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken = default) =>
        await _users.Find(u => u.NormalizedEmail == normalizedEmail).FirstOrDefaultAsync(cancellationToken);

    protected override Task<PortalUser?> FindUserAsync(string userId, CancellationToken cancellationToken) =>
        FindByIdAsync(userId, cancellationToken);

    // ---- claims

    public override Task<IList<Claim>> GetClaimsAsync(PortalUser user, CancellationToken cancellationToken = default) =>
        Task.FromResult<IList<Claim>>([.. user.Claims.Select(c => new Claim(c.Type, c.Value))]);

    public override Task AddClaimsAsync(PortalUser user, IEnumerable<Claim> claims, CancellationToken cancellationToken = default)
    {
        user.Claims.AddRange(claims.Select(c => new PortalUserClaim(c.Type, c.Value)));
        return Task.CompletedTask;
    }

    public override Task ReplaceClaimAsync(PortalUser user, Claim claim, Claim newClaim, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < user.Claims.Count; i++)
        {
            if (user.Claims[i].Type == claim.Type && user.Claims[i].Value == claim.Value)
            {
                user.Claims[i] = new PortalUserClaim(newClaim.Type, newClaim.Value);
            }
        }
        return Task.CompletedTask;
    }

    public override Task RemoveClaimsAsync(PortalUser user, IEnumerable<Claim> claims, CancellationToken cancellationToken = default)
    {
        foreach (var claim in claims)
        {
            user.Claims.RemoveAll(c => c.Type == claim.Type && c.Value == claim.Value);
        }
        return Task.CompletedTask;
    }

    public override async Task<IList<PortalUser>> GetUsersForClaimAsync(Claim claim, CancellationToken cancellationToken = default) =>
        await _users.Find(u => u.Claims.Any(c => c.Type == claim.Type && c.Value == claim.Value)).ToListAsync(cancellationToken);

    // ---- roles (stored by name in the user document; the roles collection is the catalogue)

    public override async Task AddToRoleAsync(PortalUser user, string normalizedRoleName, CancellationToken cancellationToken = default)
    {
        var role = await FindRoleAsync(normalizedRoleName, cancellationToken)
            ?? throw new InvalidOperationException($"Role {normalizedRoleName} does not exist.");
        if (!user.Roles.Contains(role.Name!, StringComparer.OrdinalIgnoreCase))
        {
            user.Roles.Add(role.Name!);
        }
    }

    public override Task RemoveFromRoleAsync(PortalUser user, string normalizedRoleName, CancellationToken cancellationToken = default)
    {
        user.Roles.RemoveAll(r => string.Equals(r, normalizedRoleName, StringComparison.OrdinalIgnoreCase));
        return Task.CompletedTask;
    }

    public override Task<IList<string>> GetRolesAsync(PortalUser user, CancellationToken cancellationToken = default) =>
        Task.FromResult<IList<string>>([.. user.Roles]);

    public override Task<bool> IsInRoleAsync(PortalUser user, string normalizedRoleName, CancellationToken cancellationToken = default) =>
        Task.FromResult(user.Roles.Contains(normalizedRoleName, StringComparer.OrdinalIgnoreCase));

    public override async Task<IList<PortalUser>> GetUsersInRoleAsync(string normalizedRoleName, CancellationToken cancellationToken = default)
    {
        var role = await FindRoleAsync(normalizedRoleName, cancellationToken);
        return role is null ? [] : await _users.Find(u => u.Roles.Contains(role.Name!)).ToListAsync(cancellationToken);
    }

    protected override async Task<PortalRole?> FindRoleAsync(string normalizedRoleName, CancellationToken cancellationToken) =>
        await _roles.Find(r => r.NormalizedName == normalizedRoleName).FirstOrDefaultAsync(cancellationToken);

    protected override async Task<IdentityUserRole<string>?> FindUserRoleAsync(string userId, string roleId, CancellationToken cancellationToken)
    {
        var role = await _roles.Find(r => r.Id == roleId).FirstOrDefaultAsync(cancellationToken);
        var user = await FindByIdAsync(userId, cancellationToken);
        return role is not null && user is not null && user.Roles.Contains(role.Name!, StringComparer.OrdinalIgnoreCase)
            ? new IdentityUserRole<string> { UserId = userId, RoleId = roleId }
            : null;
    }

    // ---- external logins

    public override Task AddLoginAsync(PortalUser user, UserLoginInfo login, CancellationToken cancellationToken = default)
    {
        user.Logins.Add(new PortalUserLogin(login.LoginProvider, login.ProviderKey, login.ProviderDisplayName));
        return Task.CompletedTask;
    }

    public override Task RemoveLoginAsync(PortalUser user, string loginProvider, string providerKey, CancellationToken cancellationToken = default)
    {
        user.Logins.RemoveAll(l => l.LoginProvider == loginProvider && l.ProviderKey == providerKey);
        return Task.CompletedTask;
    }

    public override Task<IList<UserLoginInfo>> GetLoginsAsync(PortalUser user, CancellationToken cancellationToken = default) =>
        Task.FromResult<IList<UserLoginInfo>>([.. user.Logins.Select(l => new UserLoginInfo(l.LoginProvider, l.ProviderKey, l.ProviderDisplayName))]);

    protected override async Task<IdentityUserLogin<string>?> FindUserLoginAsync(string userId, string loginProvider, string providerKey, CancellationToken cancellationToken)
    {
        var user = await FindByIdAsync(userId, cancellationToken);
        return user?.Logins.Any(l => l.LoginProvider == loginProvider && l.ProviderKey == providerKey) == true
            ? new IdentityUserLogin<string> { UserId = userId, LoginProvider = loginProvider, ProviderKey = providerKey }
            : null;
    }

    protected override async Task<IdentityUserLogin<string>?> FindUserLoginAsync(string loginProvider, string providerKey, CancellationToken cancellationToken)
    {
        var user = await _users.Find(u => u.Logins.Any(l => l.LoginProvider == loginProvider && l.ProviderKey == providerKey))
            .FirstOrDefaultAsync(cancellationToken);
        return user is null
            ? null
            : new IdentityUserLogin<string> { UserId = user.Id, LoginProvider = loginProvider, ProviderKey = providerKey };
    }

    // ---- tokens (authenticator key, recovery codes). The base class's token methods hand
    // detached token rows around; these overrides edit the user document directly instead.

    public override Task SetTokenAsync(PortalUser user, string loginProvider, string name, string? value, CancellationToken cancellationToken)
    {
        var token = user.Tokens.Find(t => t.LoginProvider == loginProvider && t.Name == name);
        if (token is null)
        {
            user.Tokens.Add(new PortalUserToken { LoginProvider = loginProvider, Name = name, Value = value });
        }
        else
        {
            token.Value = value;
        }
        return Task.CompletedTask;
    }

    public override Task RemoveTokenAsync(PortalUser user, string loginProvider, string name, CancellationToken cancellationToken)
    {
        user.Tokens.RemoveAll(t => t.LoginProvider == loginProvider && t.Name == name);
        return Task.CompletedTask;
    }

    protected override Task<IdentityUserToken<string>?> FindTokenAsync(PortalUser user, string loginProvider, string name, CancellationToken cancellationToken)
    {
        var token = user.Tokens.Find(t => t.LoginProvider == loginProvider && t.Name == name);
        return Task.FromResult(token is null
            ? null
            : new IdentityUserToken<string> { UserId = user.Id, LoginProvider = loginProvider, Name = name, Value = token.Value });
    }

    // Only reached through the base class's SetTokenAsync/RemoveTokenAsync, which are overridden above.
    protected override Task AddUserTokenAsync(IdentityUserToken<string> token) =>
        throw new NotSupportedException("Tokens are written through SetTokenAsync.");

    protected override Task RemoveUserTokenAsync(IdentityUserToken<string> token) =>
        throw new NotSupportedException("Tokens are removed through RemoveTokenAsync.");
}
