using System.Security.Cryptography;
using System.Text;
using ClvPortal.Web.Data;

namespace ClvPortal.Web.Results;

/// <summary>
/// Share-link tokens: 256 random bits from the OS CSPRNG, base64url (43 characters). Only the SHA-256 of a
/// token is stored, so a copy of the database holds no working link. A token of 256 random bits needs no
/// slow hash: it cannot be guessed, only stolen.
/// </summary>
public static class ShareTokens
{
    private const int TokenBytes = 32;
    private const int TokenLength = 43;

    public static string Create() => Base64Url(RandomNumberGenerator.GetBytes(TokenBytes));

    /// <summary>A new link to an analysis: the document to store, which holds only the token's hash, and the token to hand out once.</summary>
    public static (ShareLinkDocument Link, string Token) NewLink(Guid uploadId, string ownerId, DateTime createdAt, DateTime expiresAt)
    {
        var token = Create();
        return (new ShareLinkDocument { UploadId = uploadId, OwnerId = ownerId, TokenHash = Hash(token), CreatedAt = createdAt, ExpiresAt = expiresAt }, token);
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    /// <summary>True when <paramref name="token"/> has the shape <see cref="Create"/> gives; anything else is not looked up.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: TokenLength } && token.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_');

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
