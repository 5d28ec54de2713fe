using ClvPortal.Web.Businesses;

namespace ClvPortal.Tests.Web.Businesses;

/// <summary>What a business may be called on the upload form and the business page, and when two names are one business.</summary>
[Trait("Category", "Unit")]
public sealed class BusinessNamesTests
{
    [Theory]
    [InlineData("Corner Shop", "Corner Shop")]
    [InlineData("  Corner   Shop \t", "Corner Shop")]
    [InlineData("Ünïcode Bäckerei", "Ünïcode Bäckerei")]
    public void Validate_ReadableName_IsTrimmedWithSingleSpaces(string typed, string expected)
    {
        var (name, problem) = BusinessNames.Validate(typed);

        Assert.Null(problem);
        Assert.Equal(expected, name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t ")]
    public void Validate_Empty_SaysTheNameIsMissing(string? typed)
    {
        var (name, problem) = BusinessNames.Validate(typed);

        Assert.Null(name);
        Assert.Equal("The new business has no name.", problem!.Message);
        Assert.Contains("Type a name", problem.WhatToDo, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SixtyOneCharacters_SaysHowLongItIsAndWhatFits()
    {
        var (name, problem) = BusinessNames.Validate(new string('a', 61));

        Assert.Null(name);
        Assert.Equal("The business name is 61 characters long; at most 60 fit.", problem!.Message);
        Assert.Equal(new string('a', 60), BusinessNames.Validate(new string('a', 60)).Name);
    }

    [Theory]
    [InlineData("Shop\u202Eevil")]
    [InlineData("Shop\u0000")]
    [InlineData("Sh\u200Bop")]
    public void Validate_InvisibleCharacters_AreRefused(string typed)
    {
        var (name, problem) = BusinessNames.Validate(typed);

        Assert.Null(name);
        Assert.Equal("The business name contains invisible characters.", problem!.Message);
    }

    [Theory]
    [InlineData("Corner Shop", "CORNER SHOP")]
    [InlineData("corner  shop", "Corner Shop")]
    [InlineData("ＣＯＲＮＥＲ Shop", "corner shop")]
    public void Key_CaseSpacingAndWidth_AreOneBusiness(string a, string b) =>
        Assert.Equal(BusinessNames.Key(a), BusinessNames.Key(b));

    [Fact]
    public void Key_DifferentWords_AreDifferentBusinesses() =>
        Assert.NotEqual(BusinessNames.Key("Corner Shop"), BusinessNames.Key("Corner Shops"));

    [Fact]
    public void Parse_NoBusinessFields_ChoosesTheDefault()
    {
        var (choice, problem) = BusinessChoice.Parse(new Dictionary<string, string>());

        Assert.Null(problem);
        Assert.Equal(BusinessChoice.Default, choice);
    }

    [Fact]
    public void Parse_ExistingId_WinsOverATypedName()
    {
        var id = Guid.NewGuid();

        var (choice, _) = BusinessChoice.Parse(new Dictionary<string, string> { ["BusinessId"] = id.ToString(), ["BusinessName"] = "Other" });

        Assert.Equal(new BusinessChoice(id, null), choice);
    }

    [Fact]
    public void Parse_NewWithoutName_IsRefused()
    {
        var (choice, problem) = BusinessChoice.Parse(new Dictionary<string, string> { ["BusinessId"] = "new", ["BusinessName"] = "  " });

        Assert.Null(choice);
        Assert.Equal("The new business has no name.", problem!.Message);
    }

    [Fact]
    public void Parse_NewWithName_CarriesTheCleanedName()
    {
        var (choice, _) = BusinessChoice.Parse(new Dictionary<string, string> { ["BusinessId"] = "new", ["BusinessName"] = " Corner  Shop " });

        Assert.Equal(new BusinessChoice(null, "Corner Shop"), choice);
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("{\"$ne\":null}")]
    public void Parse_IdThatIsNoId_IsRefusedAsNotYours(string id)
    {
        var (choice, problem) = BusinessChoice.Parse(new Dictionary<string, string> { ["BusinessId"] = id });

        Assert.Null(choice);
        Assert.Same(BusinessChoice.NotYours, problem);
    }
}
