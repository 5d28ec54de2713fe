using System.Security.Claims;
using ClvPortal.Tests.Infrastructure;
using ClvPortal.Web.Identity;
using Microsoft.AspNetCore.Identity;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Identity;

/// <summary>The Identity stores straight against MongoDB, without the web host.</summary>
[Trait("Category", "Integration")]
public sealed class MongoUserStoreTests : IAsyncLifetime
{
    private readonly IMongoDatabase _database = MongoServerFixture.Instance.Database(MongoServerFixture.NewDatabaseName(nameof(MongoUserStoreTests)));
    private readonly MongoUserStore _users;
    private readonly MongoRoleStore _roles;

    public MongoUserStoreTests()
    {
        _users = new MongoUserStore(_database);
        _roles = new MongoRoleStore(_database);
    }

    public async Task InitializeAsync()
    {
        await MongoUserStore.EnsureIndexesAsync(_database);
        await MongoRoleStore.EnsureIndexesAsync(_database);
    }

    public Task DisposeAsync() => _database.Client.DropDatabaseAsync(_database.DatabaseNamespace.DatabaseName);

    [Fact]
    public async Task CreateAsync_ThenFindByEmail_ReturnsTheSameUser()
    {
        var user = NewUser("ann@example.com");
        Assert.True((await _users.CreateAsync(user)).Succeeded);

        var found = await _users.FindByEmailAsync("ANN@EXAMPLE.COM");

        Assert.NotNull(found);
        Assert.Equal(user.Id, found.Id);
        Assert.Equal("ann@example.com", found.Email);
        Assert.Equal(user.PasswordHash, found.PasswordHash);
        Assert.Equal(user.Id, (await _users.FindByNameAsync("ANN@EXAMPLE.COM"))?.Id);
        Assert.Equal(user.Id, (await _users.FindByIdAsync(user.Id))?.Id);
    }

    [Fact]
    public async Task CreateAsync_EmailAlreadyStored_FailsWithDuplicateEmail()
    {
        Assert.True((await _users.CreateAsync(NewUser("bob@example.com"))).Succeeded);

        // Bypasses UserManager's validator, as two simultaneous sign-ups would: the unique index decides.
        var second = await _users.CreateAsync(NewUser("bob@example.com"));

        Assert.False(second.Succeeded);
        Assert.Equal(nameof(IdentityErrorDescriber.DuplicateEmail), Assert.Single(second.Errors).Code);
    }

    [Fact]
    public async Task UpdateAsync_StaleCopy_FailsWithConcurrencyFailure()
    {
        var user = NewUser("cat@example.com");
        await _users.CreateAsync(user);
        var staleCopy = await _users.FindByIdAsync(user.Id);

        user.PhoneNumber = "+1 555 0100";
        Assert.True((await _users.UpdateAsync(user)).Succeeded);
        staleCopy!.PhoneNumber = "+1 555 0199";
        var stale = await _users.UpdateAsync(staleCopy);

        Assert.Equal(nameof(IdentityErrorDescriber.ConcurrencyFailure), Assert.Single(stale.Errors).Code);
        Assert.Equal("+1 555 0100", (await _users.FindByIdAsync(user.Id))?.PhoneNumber);
    }

    [Fact]
    public async Task DeleteAsync_ExistingUser_IsGone()
    {
        var user = NewUser("dan@example.com");
        await _users.CreateAsync(user);

        Assert.True((await _users.DeleteAsync(user)).Succeeded);

        Assert.Null(await _users.FindByEmailAsync("DAN@EXAMPLE.COM"));
    }

    [Fact]
    public async Task AddToRoleAsync_ThenUpdate_RoleIsStoredAndQueryable()
    {
        Assert.True((await _roles.CreateAsync(new PortalRole(PortalRole.Admin) { NormalizedName = "ADMIN" })).Succeeded);
        var user = NewUser("eve@example.com");
        await _users.CreateAsync(user);

        await _users.AddToRoleAsync(user, "ADMIN");
        await _users.UpdateAsync(user);

        var stored = await _users.FindByIdAsync(user.Id);
        Assert.Equal([PortalRole.Admin], await _users.GetRolesAsync(stored!));
        Assert.True(await _users.IsInRoleAsync(stored!, "ADMIN"));
        Assert.Equal(user.Id, Assert.Single(await _users.GetUsersInRoleAsync("ADMIN")).Id);

        await _users.RemoveFromRoleAsync(stored!, "ADMIN");
        await _users.UpdateAsync(stored!);
        Assert.Empty(await _users.GetUsersInRoleAsync("ADMIN"));
    }

    [Fact]
    public async Task CreateAsync_RoleNameTaken_FailsWithDuplicateRoleName()
    {
        await _roles.CreateAsync(new PortalRole(PortalRole.Admin) { NormalizedName = "ADMIN" });

        var second = await _roles.CreateAsync(new PortalRole("admin") { NormalizedName = "ADMIN" });

        Assert.Equal(nameof(IdentityErrorDescriber.DuplicateRoleName), Assert.Single(second.Errors).Code);
    }

    [Fact]
    public async Task LockoutCounters_AfterUpdate_SurviveARoundTrip()
    {
        var user = NewUser("fay@example.com");
        await _users.CreateAsync(user);
        var lockoutEnd = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

        await _users.IncrementAccessFailedCountAsync(user);
        await _users.IncrementAccessFailedCountAsync(user);
        await _users.SetLockoutEndDateAsync(user, lockoutEnd);
        await _users.UpdateAsync(user);

        var stored = await _users.FindByIdAsync(user.Id);
        Assert.Equal(2, await _users.GetAccessFailedCountAsync(stored!));
        Assert.Equal(lockoutEnd, await _users.GetLockoutEndDateAsync(stored!));
        Assert.True(await _users.GetLockoutEnabledAsync(stored!));
    }

    [Fact]
    public async Task ClaimsAndTokens_AfterUpdate_SurviveARoundTrip()
    {
        var user = NewUser("gus@example.com");
        await _users.CreateAsync(user);

        await _users.AddClaimsAsync(user, [new Claim("plan", "pro")]);
        await _users.SetTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", "KEY1", default);
        await _users.SetTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", "KEY2", default);
        await _users.UpdateAsync(user);

        var stored = await _users.FindByIdAsync(user.Id);
        Assert.Equal("pro", Assert.Single(await _users.GetClaimsAsync(stored!)).Value);
        Assert.Equal("KEY2", await _users.GetAuthenticatorKeyAsync(stored!, default));
        Assert.Equal(user.Id, Assert.Single(await _users.GetUsersForClaimAsync(new Claim("plan", "pro"))).Id);
    }

    [Fact]
    public async Task EnsureIndexesAsync_RunAgain_KeepsUniqueEmailAndUserNameIndexes()
    {
        await MongoUserStore.EnsureIndexesAsync(_database);

        var indexes = await (await _database.GetCollection<MongoDB.Bson.BsonDocument>(MongoUserStore.CollectionName).Indexes.ListAsync()).ToListAsync();
        var unique = indexes.Where(i => i.GetValue("unique", false).ToBoolean()).Select(i => i["key"].AsBsonDocument.Names.Single());
        Assert.Equal(["normalizedEmail", "normalizedUserName"], unique.Order());
    }

    private static PortalUser NewUser(string email) => new()
    {
        UserName = email,
        NormalizedUserName = email.ToUpperInvariant(),
        Email = email,
        NormalizedEmail = email.ToUpperInvariant(),
        PasswordHash = new PasswordHasher<PortalUser>().HashPassword(null!, "Correct-Horse-42"),
        SecurityStamp = Guid.NewGuid().ToString(),
        LockoutEnabled = true,
    };
}
