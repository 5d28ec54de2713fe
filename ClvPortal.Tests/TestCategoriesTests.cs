using System.Reflection;

namespace ClvPortal.Tests;

/// <summary>
/// Every test is of exactly one kind, so <c>dotnet test --filter Category=...</c> runs what it says and nothing falls
/// between the kinds: <c>Unit</c> (pure and quick: no MongoDB, XGBoost, Chromium or portal process), <c>Slow</c>
/// (pure, but seconds each: whole-file and million-row runs), <c>Integration</c> (the portal with the MongoDB test
/// server, XGBoost's native library, portal processes) and <c>Browser</c> (Playwright driving Chromium).
/// </summary>
[Trait("Category", "Unit")]
public sealed class TestCategoriesTests
{
    private static readonly string[] Kinds = ["Unit", "Slow", "Integration", "Browser"];

    [Fact]
    public void EveryTest_HasExactlyOneKnownCategory()
    {
        var tests = typeof(TestCategoriesTests).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(method => method.GetCustomAttribute<FactAttribute>() is not null)
            .ToList();

        var wrong = tests
            .Select(method => (Name: $"{method.DeclaringType!.Name}.{method.Name}", Categories: Categories(method)))
            .Where(test => test.Categories.Count != 1 || !Kinds.Contains(test.Categories[0]))
            .Select(test => $"{test.Name}: [{string.Join(", ", test.Categories)}]")
            .ToList();

        Assert.True(tests.Count > 400, $"Found only {tests.Count} tests: the reflection misses some.");
        Assert.True(wrong.Count == 0, "Tests without exactly one of " + string.Join('/', Kinds) + ":\n" + string.Join('\n', wrong));
    }

    /// <summary>The values of the Category traits on the method and on its class, as xunit combines them.</summary>
    private static List<string> Categories(MethodInfo method) =>
        [.. method.GetCustomAttributesData().Concat(method.DeclaringType!.GetCustomAttributesData())
            .Where(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == "Category")
            .Select(a => (string)a.ConstructorArguments[1].Value!)];
}
