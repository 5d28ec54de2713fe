namespace ClvPortal.Core.Ingest;

/// <summary>The CDNOW text format, recognised by its content rather than by a header or a file name.</summary>
internal static class CdnowFormat
{
    /// <summary>
    /// The CDNOW layout: four whitespace-separated numbers per line, the second yyyymmdd; some copies
    /// carry a header line of four names ("customer_id date number_of_cds dollar_value"). lifetimes'
    /// copy (CDNOW_sample.txt) has five, a row number first (" 00004 0001 19970101 2 29.33", CRLF).
    /// </summary>
    public static bool Recognize(string sample, out string[]? header, out int fields)
    {
        header = null;
        fields = 0;
        var checkedLines = 0;
        foreach (var line in sample.AsSpan().EnumerateLines())
        {
            if (line.IsWhiteSpace())
            {
                continue;
            }

            if (line.IndexOfAny(",;|\t") >= 0)
            {
                return false;
            }

            var parts = new List<string>(4);
            var trimmed = line.Trim();
            foreach (var range in trimmed.SplitAny(' ', '\t'))
            {
                if (!trimmed[range].IsEmpty)
                {
                    parts.Add(trimmed[range].ToString());
                }
            }

            if (parts.Count is not (4 or 5) || fields != 0 && parts.Count != fields)
            {
                return false;
            }

            fields = parts.Count;
            if (checkedLines == 0 && header is null && parts.All(p => !NumberParser.TryParse(p.AsSpan(), false, out _)))
            {
                header = [.. parts];
                continue;
            }

            static bool Digits(string part) => part.Length > 0 && !part.AsSpan().ContainsAnyExceptInRange('0', '9');
            var first = fields - 4;
            var fits = (first == 0 || Digits(parts[0])) && Digits(parts[first]) &&
                parts[first + 1].Length == 8 && Digits(parts[first + 1]) &&
                NumberParser.TryParse(parts[first + 2].AsSpan(), false, out _) && NumberParser.TryParse(parts[first + 3].AsSpan(), false, out _);
            if (!fits)
            {
                return false;
            }

            if (++checkedLines == 20)
            {
                break;
            }
        }

        return checkedLines > 0;
    }
}
