using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Conventions;
using MongoDB.Bson.Serialization.Serializers;
using Microsoft.AspNetCore.Identity;

namespace ClvPortal.Web.Identity;

/// <summary>How Identity's types map to BSON. Registered once per process, before first use.</summary>
internal static class IdentityMongoMapping
{
    private static int s_registered;

    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 1)
        {
            return;
        }

        // Its own convention pack, so the field names are camelCase even when the stores are used
        // without the web host (store tests) and the app-wide pack has not been registered yet.
        ConventionRegistry.Register(
            "portal-identity",
            new ConventionPack { new CamelCaseElementNameConvention(), new IgnoreExtraElementsConvention(true) },
            type => type.Namespace == typeof(PortalUser).Namespace
                || (type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(IdentityUser<>) || d == typeof(IdentityRole<>))));

        // Lockout ends are instants: store a BSON date (queryable, readable in the shell),
        // not the driver's default [ticks, offset] array.
        BsonClassMap.TryRegisterClassMap<IdentityUser<string>>(map =>
        {
            map.AutoMap();
            map.MapMember(u => u.LockoutEnd)
                .SetSerializer(new NullableSerializer<DateTimeOffset>(new DateTimeOffsetSerializer(BsonType.DateTime)));
        });
    }
}
