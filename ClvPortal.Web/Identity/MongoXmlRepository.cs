using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using MongoDB.Driver;

namespace ClvPortal.Web.Identity;

/// <summary>
/// Keeps ASP.NET Core's data-protection key ring in MongoDB (collection <c>dataProtectionKeys</c>),
/// so every web process of a fleet can read the sign-in and antiforgery cookies the others
/// issued, and keys survive container restarts.
/// </summary>
public sealed class MongoXmlRepository(IMongoDatabase database) : IXmlRepository
{
    public const string CollectionName = "dataProtectionKeys";

    private readonly IMongoCollection<DataProtectionKey> _keys = database.GetCollection<DataProtectionKey>(CollectionName);

    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. _keys.Find(FilterDefinition<DataProtectionKey>.Empty).ToList().Select(k => XElement.Parse(k.Xml))];

    public void StoreElement(XElement element, string friendlyName) =>
        _keys.InsertOne(new DataProtectionKey(friendlyName, element.ToString(SaveOptions.DisableFormatting)));

    public sealed record DataProtectionKey(string Id, string Xml);
}
