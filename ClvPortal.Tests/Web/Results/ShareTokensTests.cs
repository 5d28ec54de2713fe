using System.Security.Cryptography;
using System.Text;
using ClvPortal.Web.Results;

namespace ClvPortal.Tests.Web.Results;

[Trait("Category", "Unit")]
public sealed class ShareTokensTests
{
    [Fact]
    public void Create_ManyTokens_AreDistinctWellFormedAndCarryAtLeast128Bits()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => ShareTokens.Create()).ToList();

        Assert.Equal(tokens.Count, tokens.Distinct(StringComparer.Ordinal).Count());
        Assert.All(tokens, t => Assert.True(ShareTokens.IsWellFormed(t), t));
        // Base64url carries 6 bits per character.
        Assert.All(tokens, t => Assert.True(t.Length * 6 >= 128));
    }

    [Fact]
    public void Hash_Token_IsItsSha256InHexAndNotTheToken()
    {
        var token = ShareTokens.Create();

        var hash = ShareTokens.Hash(token);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token))), hash);
        Assert.DoesNotContain(token, hash, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa+")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void IsWellFormed_OtherShapes_False(string? token) => Assert.False(ShareTokens.IsWellFormed(token));
}
