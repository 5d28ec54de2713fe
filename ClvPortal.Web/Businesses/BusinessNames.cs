using System.Globalization;
using System.Text;
using ClvPortal.Core;

namespace ClvPortal.Web.Businesses;

/// <summary>What a business may be called, and when two names are the same business.</summary>
public static class BusinessNames
{
    public const int MaxLength = 60;

    /// <summary>Where analyses go when the owner names no business, and where analyses made before businesses existed go.</summary>
    public const string Default = "My business";

    /// <summary>The generated shop of "Try it with sample data": kept apart, so it never scores the owner's own files.</summary>
    public const string Sample = "Sample shop";

    /// <summary>The name trimmed, with runs of spaces made one; or the problem a user can fix.</summary>
    public static (string? Name, InputProblem? Problem) Validate(string? text)
    {
        var name = string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (name.Length == 0)
        {
            return (null, new InputProblem("The new business has no name.", "Type a name for it, such as your shop's, or pick one of your businesses."));
        }

        if (name.Length > MaxLength)
        {
            return (null, new InputProblem(
                $"The business name is {name.Length} characters long; at most {MaxLength} fit.",
                "Type a shorter name, such as your shop's."));
        }

        // Invisible and direction-changing characters (a right-to-left override) would make two names look alike.
        if (name.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format))
        {
            return (null, new InputProblem("The business name contains invisible characters.", "Type the name again with letters, digits and punctuation only."));
        }

        return (name, null);
    }

    /// <summary>The name as compared: "Acme  shop" and "ACME Shop" are one business.</summary>
    public static string Key(string name) =>
        string.Join(' ', name.Normalize(NormalizationForm.FormKC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
}
