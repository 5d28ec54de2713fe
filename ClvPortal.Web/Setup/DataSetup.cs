using ClvPortal.Web.Data;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Conventions;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;

namespace ClvPortal.Web.Setup;

public static class DataSetup
{
    /// <summary>
    /// Registers the MongoDB client (a singleton: it pools connections and is thread-safe), the
    /// portal database and <see cref="PortalDb"/>. The connection string is <c>ConnectionStrings:Mongo</c>.
    /// </summary>
    public static void AddPortalData(this WebApplicationBuilder builder)
    {
        RegisterConventions();

        builder.Services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section).ValidateOnStart();

        var connectionString = builder.Configuration.GetConnectionString("Mongo")
            ?? throw new InvalidOperationException(
                "ConnectionStrings:Mongo is not set. Set it (or the environment variable ConnectionStrings__Mongo) to a MongoDB connection string.");
        var databaseName = PortalOptions.From(builder.Configuration).Database;

        builder.Services.AddSingleton<IMongoClient>(_ => new MongoClient(connectionString));
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IMongoClient>().GetDatabase(databaseName));
        builder.Services.AddSingleton<PortalDb>();
        builder.Services.AddHostedService<IndexInitializer>();
    }

    private static int s_registered;

    // Guids as standard UUIDs and camelCase element names, once per process (tests build many hosts and read
    // the documents of portal processes they start; the bench commands write documents without a host).
    internal static void RegisterConventions()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 1)
        {
            return;
        }

        BsonSerializer.TryRegisterSerializer(new GuidSerializer(GuidRepresentation.Standard));
        ConventionRegistry.Register(
            "portal",
            new ConventionPack { new CamelCaseElementNameConvention(), new IgnoreExtraElementsConvention(true) },
            _ => true);
    }
}
