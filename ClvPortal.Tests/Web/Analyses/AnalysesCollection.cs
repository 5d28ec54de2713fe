namespace ClvPortal.Tests.Web.Analyses;

/// <summary>
/// The portal tests that run analysis jobs take turns: the MongoDB test server answers one request at a
/// time, and several hosts writing thousands of results at once starve each other's jobs past any timeout.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AnalysesCollection
{
    public const string Name = "Portal analyses";
}
