namespace ClvPortal.Web.Results;

/// <summary>
/// A customer id as the last path segment of its page, <c>/analyses/{id}/customers/{customerId}</c>. Ids come
/// from the user's file and may hold anything. The server decodes every escape of a path but <c>%2F</c> (so an
/// escaped "/" cannot split a segment), which leaves an id holding "/" and one holding the text "%2F"
/// indistinguishable. So the id is escaped once here and once more by the link generator; the server undoes
/// the second, <see cref="Decode"/> the first, and every id comes back exactly, whatever it holds.
/// </summary>
public static class CustomerIdSegment
{
    /// <summary>The route value for <c>asp-route-customerId</c>.</summary>
    public static string Encode(string customerId)
    {
        var escaped = Uri.EscapeDataString(customerId);
        // "." and ".." would be read as dot segments of the path and removed.
        return escaped is "." or ".." ? escaped.Replace(".", "%2E", StringComparison.Ordinal) : escaped;
    }

    /// <summary>The customer id from the route value the server decoded once.</summary>
    public static string Decode(string segment) => Uri.UnescapeDataString(segment);
}
