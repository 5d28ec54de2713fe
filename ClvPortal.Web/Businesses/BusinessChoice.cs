using ClvPortal.Core;

namespace ClvPortal.Web.Businesses;

/// <summary>
/// The business chosen on the upload form: one of the owner's (field <see cref="IdField"/> holds its id), a new one
/// (<see cref="IdField"/> is <see cref="NewValue"/> or empty and <see cref="NameField"/> holds the name), or none
/// named: the owner's default business.
/// </summary>
public sealed record BusinessChoice(Guid? ExistingId, string? NewName)
{
    public const string IdField = "BusinessId";

    public const string NameField = "BusinessName";

    public const string NewValue = "new";

    public static BusinessChoice Default { get; } = new(null, null);

    /// <summary>The choice in the form's fields, or the problem a user can fix (a new business without a valid name).</summary>
    public static (BusinessChoice? Choice, InputProblem? Problem) Parse(IReadOnlyDictionary<string, string> fields)
    {
        var id = fields.TryGetValue(IdField, out var idText) ? idText.Trim() : "";
        var name = fields.TryGetValue(NameField, out var nameText) ? nameText : "";
        if (id.Length > 0 && !string.Equals(id, NewValue, StringComparison.OrdinalIgnoreCase))
        {
            return Guid.TryParse(id, out var existing)
                ? (new BusinessChoice(existing, null), null)
                : (null, NotYours);
        }

        if (id.Length == 0 && string.IsNullOrWhiteSpace(name))
        {
            return (Default, null);
        }

        var (valid, problem) = BusinessNames.Validate(name);
        return valid is null ? (null, problem) : (new BusinessChoice(null, valid), null);
    }

    /// <summary>An id that is not one of the owner's businesses: said the same whether it exists for someone else or not at all.</summary>
    public static InputProblem NotYours { get; } = new(
        "The business you picked is not one of yours.",
        "Reload the upload page and pick one of your businesses, or type a name for a new one.");
}
